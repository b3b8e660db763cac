import { expect, test } from 'vitest'
import { createRecordPrinter } from '../../../../main/cli/record-printer.ts'
import { terminalSafe, terminalSafeId } from '../../../../main/cli/terminal-safe.ts'
import type { OutputOptions } from '../../../../main/cli/output-options.ts'
import { eventRecord } from '../../../support/records.ts'
import { runCli, runCliInTerminal } from '../../../support/run-cli.ts'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// ESC [2J clears the screen, ESC ] 0 ; … BEL sets the window title, U+202E reverses what follows.
const HOSTILE = 'ok \x1b[2J\x1b]0;title\x07 \r\u009b31m \u202eevil\ttab\nnext'

test('terminal-safe text: controls and bidi marks become escapes; tab stays, newline when asked', () => {
  expect(terminalSafe(HOSTILE)).toBe('ok \\x1b[2J\\x1b]0;title\\x07 \\r\\x9b31m \\u202eevil\ttab\\x0anext')
  expect(terminalSafe(HOSTILE, { keepsNewlines: true })).toContain('tab\nnext')
  expect(terminalSafe('plain — ünïcode ✓')).toBe('plain — ünïcode ✓')
})

test('an id printed shows its invisible characters as escapes: "42" typed back would be another id', () => {
  const printer = createRecordPrinter(
    { mode: 'human', hasChunks: false, selection: { types: new Set<string>() } } satisfies OutputOptions,
    { isShowingSecrets: false, hasColor: false, hasStderrColor: false, isStdoutTerminal: true },
  )
  const line = printer.print([eventRecord({ id: '\u200b42\u202e', data: 'x' })]).out
  expect(line).toContain(' id=\\u200b42\\u202e x')
  expect(terminalSafeId('plain-7')).toBe('plain-7')
})

test('printed for a terminal, event data cannot steer it; piped, --data-only stays exact', () => {
  const record = eventRecord({ type: 'tick\x1b[8m', data: HOSTILE })
  const printerFor = (mode: OutputOptions['mode'], isStdoutTerminal: boolean) =>
    createRecordPrinter(
      { mode, hasChunks: false, selection: { types: new Set<string>() } } satisfies OutputOptions,
      { isShowingSecrets: false, hasColor: isStdoutTerminal, hasStderrColor: false, isStdoutTerminal },
    )
  const human = printerFor('human', true).print([record]).out
  expect(human.split('\x1b').length - 1).toBe(6) // the line's own colours (time, label, type), set and reset
  expect(human).toContain('tick\\x1b[8m')
  expect(human).toContain('ok \\x1b[2J\\x1b]0;title\\x07')
  expect(printerFor('data', true).print([record]).out).toBe(
    terminalSafe(HOSTILE, { keepsNewlines: true }) + '\n',
  )
  expect(printerFor('data', false).print([record]).out).toBe(HOSTILE + '\n')
})

test('cli: on a real terminal, --data-only prints hostile data as escapes (piped, exact)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'terminal-safe-'))
  const text = join(dir, 'title.sse')
  writeFileSync(text, 'data: a\x1b]0;title\x07b\n\n')
  const rec = join(dir, 'title.rec')
  expect((await runCli(['import', text, '-o', rec])).code).toBe(0)
  const onTerminal = await runCliInTerminal(['replay', rec, '--data-only'])
  expect(onTerminal.stdout).toContain('a\\x1b]0;title\\x07b')
  expect(onTerminal.stdout).not.toContain('\x1b]')
  expect((await runCli(['replay', rec, '--data-only'])).stdout).toBe('a\x1b]0;title\x07b\n')
})

test('cli: replay prints hostile event data as escapes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'terminal-safe-'))
  const text = join(dir, 'hostile.sse')
  writeFileSync(text, `data: ${HOSTILE.replace('\n', ' ').replace('\r', ' ')}\n\n`)
  const rec = join(dir, 'hostile.rec')
  expect((await runCli(['import', text, '-o', rec])).code).toBe(0)
  const run = await runCli(['replay', rec])
  expect(run.stdout).toContain('event     message ok \\x1b[2J\\x1b]0;title\\x07')
  expect(run.stdout).not.toContain('\x1b') // not a terminal here: no colours either
})
