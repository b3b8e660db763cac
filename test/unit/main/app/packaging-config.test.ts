// Packaging cannot run here (it downloads Electron): the config is checked against the schema of the
// electron-builder we pin, which is what it validates a config with before building.
import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import { load } from 'js-yaml'
import { expect, test } from 'vitest'

test('electron-builder.yml: valid for the pinned electron-builder; .sserec files open in the app', () => {
  const schema = JSON.parse(readFileSync('node_modules/app-builder-lib/scheme.json', 'utf8')) as object
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema)
  const config = load(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown>
  expect(validate(config), JSON.stringify(validate.errors)).toBe(true)
  expect(config.fileAssociations).toEqual([expect.objectContaining({ ext: 'sserec', role: 'Viewer' })])
  // The schema does check: a misspelt key is refused.
  expect(validate({ ...config, fileAssociations: [{ extension: 'sserec' }] })).toBe(false)
})
