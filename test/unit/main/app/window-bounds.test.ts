import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { loadWindowBounds, saveWindowBounds } from '../../../../main/app/window-bounds.ts'

const fallback = { width: 1280, height: 820 }

test('window bounds: saved bounds come back; missing or damaged files give the default', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bounds-'))
  const file = join(dir, 'window-bounds.json')
  expect(loadWindowBounds(file, fallback)).toEqual(fallback)
  saveWindowBounds(file, { x: 10, y: 20, width: 1000, height: 700 })
  expect(loadWindowBounds(file, fallback)).toEqual({ x: 10, y: 20, width: 1000, height: 700 })
  writeFileSync(file, '{"width": 1000, "hei')
  expect(loadWindowBounds(file, fallback)).toEqual(fallback)
  writeFileSync(file, JSON.stringify({ width: 5, height: 1e9 }))
  expect(loadWindowBounds(file, fallback)).toEqual(fallback)
})
