import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { eventsIn, readRecordingFile } from '../../../../main/recording/recording-file.ts'
import { SessionLibrary } from '../../../../main/recording/session-library.ts'
import { useDemoServer } from '../../../support/demo.ts'
import { runCli, spawnCli } from '../../../support/run-cli.ts'

const demo = useDemoServer()

/** Calls the API of a `serve` process (the browser face) as the page does. */
async function call(url: string, token: string, method: string, args: unknown[]): Promise<unknown> {
  const response = await fetch(new URL(`/api/${method}`, url), {
    method: 'POST',
    headers: { 'x-inspector-token': token, 'content-type': 'application/json' },
    body: JSON.stringify(args),
  })
  return ((await response.json()) as { result: unknown }).result
}

test('library: a recording whose app was killed mid-stream is listed as interrupted, with what its file holds', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sse-killed-library-'))
  const token = 'killed-app-token'
  const app = spawnCli(['serve', '--port', '0', '--token', token, '--library', dir])
  await app.until('stdout', /is at \S+/)
  const appUrl = /is at (\S+)/.exec(app.output.stdout)![1]!
  await call(appUrl, token, 'connect', [{ url: `${demo.url}/ticker?interval=20` }])
  await new Promise((resolve) => setTimeout(resolve, 1000))
  app.child.kill('SIGKILL')
  await app.exited
  // Its index still says "recording" (with the figures of its start); the file has ~50 events.
  expect(JSON.parse(readFileSync(join(dir, 'library.json'), 'utf8'))).toMatchObject([
    { outcome: 'recording', events: 0 },
  ])

  const library = new SessionLibrary(dir)
  await library.recovered
  const [entry] = library.list()
  const inFile = eventsIn(readRecordingFile(library.fileOf(entry!.id)!).records).length
  expect(inFile).toBeGreaterThan(20)
  expect(entry).toMatchObject({
    outcome: 'interrupted: its recorder stopped (the app was closed or crashed)',
    events: inFile,
    durationMs: expect.any(Number),
  })
  expect(entry!.durationMs).toBeGreaterThan(500)
  expect(entry!.durationMs).toBeLessThan(2000) // not counting on from its start, as a live one does
  // …and so says the index, for the next start
  expect(JSON.parse(readFileSync(join(dir, 'library.json'), 'utf8'))).toMatchObject([
    { outcome: entry!.outcome, events: inFile },
  ])
})

test('library: recordings the index does not know (it is damaged, or the files were copied in) are listed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sse-damaged-library-'))
  const file = join(dir, 'copied-in.sserec')
  await runCli(['record', `${demo.url}/ticker?interval=5&count=7`, '--no-reconnect', '-o', file])
  writeFileSync(join(dir, 'notes.sserec'), 'not a recording at all\n')
  // and one cut short before its stream's end (its recorder killed)
  const whole = readFileSync(file, 'utf8')
  writeFileSync(join(dir, 'cut.sserec'), whole.slice(0, whole.lastIndexOf('{"kind":"close"')))
  writeFileSync(join(dir, 'library.json'), '{ damaged')
  const library = new SessionLibrary(dir)
  await library.recovered
  const byOutcome = (entries: { outcome: string; events: number; tags: string[] }[]) =>
    entries
      .map(({ outcome, events, tags }) => ({ outcome, events, tags }))
      .sort((a, b) => a.outcome.localeCompare(b.outcome))
  expect(byOutcome(library.list())).toEqual([
    { outcome: 'eof', events: 7, tags: ['found'] },
    {
      outcome: 'interrupted: its recorder stopped (the app was closed or crashed)',
      events: 7,
      tags: ['found'],
    },
  ])
  expect(library.list()[0]!.name).toBe(`GET ${demo.url}/ticker?interval=5&count=7`)
  // Listed once: the next start finds them in the index
  const again = new SessionLibrary(dir)
  await again.recovered
  expect(byOutcome(again.list())).toEqual(byOutcome(library.list()))
})
