import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { eventsIn, readRecordingFile } from '../../../../main/recording/recording-file.ts'
import { useDemoServer } from '../../../support/demo.ts'
import { RECORDING_ENDS_EARLY } from '../../../../shared/recording/recording-format.ts'
import { runCli, runCliWithFileLimit, spawnCli } from '../../../support/run-cli.ts'

// A write that fails for real: the CLI runs unable to write files past a size (prlimit), as when a disk
// fills up mid-recording.
const demo = useDemoServer()
const dir = mkdtempSync(join(tmpdir(), 'recording-failure-'))

/** The ids of a recording's events, and what reading it found wrong. */
function contentOf(file: string) {
  const recording = readRecordingFile(file)
  return { ids: eventsIn(recording.records).map((e) => e.id), problems: recording.problems }
}

test('record: a write that fails stops an endless recording at once (exit 1, the reason); what was written reads', async () => {
  const file = join(dir, 'endless.sserec')
  const startedMs = Date.now()
  const run = await runCliWithFileLimit(200_000, ['record', `${demo.url}/firehose?rate=5000`, '-o', file])
  expect(Date.now() - startedMs).toBeLessThan(20_000) // the firehose never ends: the failure ended it
  expect(run.code).toBe(1)
  expect(run.stderr).toContain(`sse-inspector record: recording to ${file} failed: EFBIG: file too large`)
  // Every event before the failure, in order and without a gap; only the cut last record is lost.
  const { ids, problems } = contentOf(file)
  expect(ids.length).toBeGreaterThan(100)
  expect(ids).toEqual(ids.map((_, i) => String(i + 1)))
  expect(problems).toEqual([expect.stringContaining('the last chunk is incomplete')])
})

test('watch --record: a write that fails is said at once, and the watch goes on', async () => {
  const file = join(dir, 'watched.sserec')
  const run = await runCliWithFileLimit(100_000, [
    'watch',
    `${demo.url}/firehose?rate=3000&count=6000`,
    '--no-reconnect',
    '--data-only',
    '--record',
    file,
  ])
  expect(run.stderr.split('\n')[0]).toBe(
    `sse-inspector watch: recording to ${file} failed: EFBIG: file too large, write; watching on, not recording`,
  )
  expect(run.stdout.trim().split('\n')).toHaveLength(6000) // every event shown
  expect(run.code).toBe(1) // the stream ended well, but what was asked to be recorded was not
  const { ids } = contentOf(file)
  expect(ids.length).toBeGreaterThan(100)
  expect(ids.length).toBeLessThan(6000)
})

test('record: a file that takes not even the header is refused before connecting', async () => {
  const run = await runCli(['record', `${demo.url}/ticker`, '-o', '/dev/full'])
  expect(run).toMatchObject({
    code: 2,
    stderr: 'sse-inspector record: cannot write /dev/full: ENOSPC: no space left on device, write\n',
  })
})

test('replay: a recording whose recorder was killed mid-stream says it ends before its stream did', async () => {
  const file = join(dir, 'killed.sserec')
  const recorder = spawnCli(['record', `${demo.url}/ticker?interval=20`, '-o', file])
  await new Promise((resolve) => setTimeout(resolve, 700))
  recorder.child.kill('SIGKILL')
  await recorder.exited
  const cut = await runCli(['replay', file])
  expect(cut.code).toBe(0)
  expect(cut.stderr.trimEnd().split('\n').at(-1)).toBe(`sse-inspector replay: ${RECORDING_ENDS_EARLY}`)
  // one that ends with its stream's end, or printed only in part (-n), says nothing of the kind
  const whole = join(dir, 'whole.sserec')
  await runCli(['record', `${demo.url}/ticker?interval=5&count=3`, '--no-reconnect', '-o', whole])
  expect((await runCli(['replay', whole])).stderr).not.toContain('before the stream did')
  expect((await runCli(['replay', file, '-n', '2'])).stderr).not.toContain('before the stream did')
})
