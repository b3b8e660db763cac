import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { filesToOpen } from '../../../../main/app/opened-files.ts'

test('files to open: the files among a launch’s arguments, from its folder, past the app’s own and switches', () => {
  const folder = mkdtempSync(join(tmpdir(), 'sse-opened-'))
  writeFileSync(join(folder, 'capture.sserec'), 'x')
  writeFileSync(join(folder, 'with space.har'), 'x')
  mkdirSync(join(folder, 'a-folder'))
  const elsewhere = join(mkdtempSync(join(tmpdir(), 'sse-opened-other-')), 'absolute.sse')
  writeFileSync(elsewhere, 'x')
  const args = [
    'capture.sserec',
    '--allow-file-access-from-files',
    'with space.har',
    'a-folder',
    'gone.sserec',
    elsewhere,
  ]
  // Packaged: argv[0] is the app; unpackaged (electron .): electron, then the app's folder.
  expect(
    filesToOpen(['/opt/SSE Inspector/sse-inspector', ...args], {
      workingDirectory: folder,
      isUnpackaged: false,
    }),
  ).toEqual([join(folder, 'capture.sserec'), join(folder, 'with space.har'), elsewhere])
  expect(
    filesToOpen(['electron', '.', ...args], { workingDirectory: folder, isUnpackaged: true }),
  ).toHaveLength(3)
  // A plain launch, packaged or not, opens nothing (the app's folder is not a file to open).
  expect(
    filesToOpen(['/opt/SSE Inspector/sse-inspector'], { workingDirectory: folder, isUnpackaged: false }),
  ).toEqual([])
  expect(filesToOpen(['electron', '.'], { workingDirectory: process.cwd(), isUnpackaged: true })).toEqual([])
})
