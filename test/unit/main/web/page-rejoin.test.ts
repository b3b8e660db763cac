import { expect, test } from 'vitest'
import type { WireRecord } from '../../../../shared/api.ts'
import type { RecordingSummary } from '../../../../shared/recording/library.ts'
import { useDemoServer } from '../../../support/demo.ts'
import { openPage as openPageOf, useWebFace } from '../../../support/web-face.ts'

const demo = useDemoServer()
const TOKEN = 'page-rejoin-token'
const face = useWebFace(TOKEN)
const start = () => face.start(10_000)
const openPage = (base: string, pageId: string, options?: { rejoin?: boolean }) =>
  openPageOf(base, TOKEN, pageId, options)

const seqsOf = (records: readonly WireRecord[]) =>
  records.flatMap((record) => (record.kind === 'annotation' ? [] : [record.seq]))

test('web face: a reloaded page gets its connections back: a tab each, the records so far read back from the recording, then live; none twice, none missing', async () => {
  const base = await start()
  const before = openPage(base, 'page-reloaded')
  const ticker = { url: `${demo.url}/ticker?interval=20`, reconnect: { isEnabled: false } }
  const { connectionId } = await before.call<{ connectionId: string }>('connect', [
    ticker,
    { isRecording: true },
  ])
  await before.call('annotate', [connectionId, 'pinned before the reload'])
  await expect.poll(() => before.eventIdsOf(connectionId).length).toBeGreaterThan(15)
  before.close()
  await new Promise((resolve) => setTimeout(resolve, 300)) // the stream goes on while no page looks

  const reloadedAtMs = Date.now()
  const after = openPage(base, 'page-reloaded', { rejoin: true })
  expect(await after.status).toBe(200)
  await expect.poll(() => after.eventIdsOf(connectionId).length).toBeGreaterThan(40)
  const [hello, first] = after.pushes
  expect(hello).toMatchObject({ kind: 'hello' }) // the server's start, always first
  expect(first).toMatchObject({
    kind: 'rejoined',
    connectionId,
    request: { url: ticker.url },
    isRecorded: true,
    state: 'open',
  })
  // Open since before the reload (a wait for a response counts on from where it was).
  expect(first?.kind === 'rejoined' && first.stateSinceMs).toBeLessThan(reloadedAtMs - 250)
  const records = after.recordsOf(connectionId)
  // From the request on, every seq once and in order: the read-back joins the live records exactly.
  const seqs = seqsOf(records)
  expect(seqs[0]).toBe(0)
  expect(seqs).toEqual(seqs.map((_, index) => index))
  const ids = after.eventIdsOf(connectionId)
  expect(ids).toEqual(ids.map((_, index) => String(index + 1)))
  expect(records.filter((r) => r.kind === 'annotation').map((r) => r.text)).toEqual([
    'pinned before the reload',
  ])
  // The same records as a page that never went away was sent, where both have them.
  const seenBefore = before.recordsOf(connectionId)
  expect(records.slice(0, seenBefore.length)).toEqual(seenBefore)

  // A second page with that id while this one is open is a copy (a duplicated tab): refused, to take its own.
  const copy = openPage(base, 'page-reloaded', { rejoin: true })
  expect(await copy.status).toBe(409)
  // The stream reconnecting after a blip (not a reload) is not given the connection again.
  after.close()
  await new Promise((resolve) => setTimeout(resolve, 300)) // the server sees it closed
  const blip = openPage(base, 'page-reloaded')
  expect(await blip.status).toBe(200)
  await expect.poll(() => blip.eventIdsOf(connectionId).length).toBeGreaterThan(3)
  expect(blip.pushes.some((push) => push.kind === 'rejoined')).toBe(false)
  blip.close()
})

test('web face: a reloaded page gets its replay back as played so far, where it serves a recording, and a connection not recorded from now on; another page gets nothing', async () => {
  const base = await start()
  const page = openPage(base, 'page-replaying')
  const short = { url: `${demo.url}/ticker?interval=5&count=30`, reconnect: { isEnabled: false } }
  const { connectionId: recorded } = await page.call<{ connectionId: string }>('connect', [short, {}])
  await expect.poll(() => page.eventIdsOf(recorded).length).toBe(30)
  await page.call('closeConnection', [recorded]) // its tab closed: not given back
  const recording = (await page.call<RecordingSummary[]>('listRecordings', [])).find((r) => r.id === recorded)
  const { connectionId: replay } = await page.call<{ connectionId: string }>('openRecording', [
    recording!.id,
    { speed: 'instant' },
  ])
  await expect.poll(() => page.eventIdsOf(replay).length).toBe(30)
  const { url: servedAt } = await page.call<{ url: string }>('serveRecording', [recording!.id, {}])
  const ticker = { url: `${demo.url}/ticker?interval=20`, reconnect: { isEnabled: false } }
  const { connectionId: unrecorded } = await page.call<{ connectionId: string }>('connect', [
    ticker,
    { isRecording: false },
  ])
  await expect.poll(() => page.eventIdsOf(unrecorded).length).toBeGreaterThan(5)
  const few = { url: `${demo.url}/ticker?interval=5&count=3`, reconnect: { isEnabled: false } }
  const { connectionId: deleted } = await page.call<{ connectionId: string }>('connect', [few, {}])
  await expect.poll(() => page.eventIdsOf(deleted).length).toBe(3)
  await expect
    .poll(
      async () =>
        (await page.call<RecordingSummary[]>('listRecordings', [])).find((r) => r.id === deleted)?.outcome,
    )
    .not.toBe('recording')
  await page.call('deleteRecording', [deleted]) // its stream ended, its tab still open
  page.close()
  await new Promise((resolve) => setTimeout(resolve, 300))
  const other = openPage(base, 'another-page', { rejoin: true })

  const reloaded = openPage(base, 'page-replaying', { rejoin: true })
  await expect.poll(() => reloaded.eventIdsOf(replay).length).toBe(30)
  await expect.poll(() => reloaded.eventIdsOf(unrecorded).length).toBeGreaterThan(3)
  const rejoined = reloaded.pushes.filter((push) => push.kind === 'rejoined')
  expect(rejoined).toMatchObject([
    { connectionId: replay, recordingName: recording!.name, isRecorded: true, replay: { isDone: true } },
    { connectionId: unrecorded, isRecorded: false, state: 'open' },
    { connectionId: deleted, isRecorded: false, state: 'closed' },
  ])
  expect(reloaded.recordsOf(deleted)).toEqual([])
  expect(reloaded.eventIdsOf(replay)).toEqual(page.eventIdsOf(replay))
  // The Library is told where that recording is served still.
  expect(reloaded.pushes).toContainEqual({
    kind: 'served',
    recordingId: recording!.id,
    url: servedAt,
    isEachAttempt: false,
  })
  // Not recorded: what came before the reload is gone; the tab goes on from there.
  const firstAfter = Number(reloaded.eventIdsOf(unrecorded)[0])
  expect(firstAfter).toBeGreaterThan(Number(page.eventIdsOf(unrecorded).at(-1)))
  expect(other.pushes.some((push) => push.kind === 'rejoined')).toBe(false)
  reloaded.close()
  other.close()
})

test('web face: a reloaded page gets its check runs back: one done with its findings, one running with its steps so far, then the rest', async () => {
  const base = await start()
  const page = openPage(base, 'page-checking')
  const ticker = { url: `${demo.url}/ticker?interval=50` }
  const { runId: done } = await page.call<{ runId: string }>('runChecks', [ticker, { durationMs: 300 }])
  await expect.poll(() => page.pushes.some((p) => p.kind === 'check-done' && p.runId === done)).toBe(true)
  const { runId: running } = await page.call<{ runId: string }>('runChecks', [ticker, { durationMs: 3000 }])
  await expect
    .poll(() => page.pushes.some((p) => p.kind === 'check-progress' && p.runId === running))
    .toBe(true)
  page.close()
  await new Promise((resolve) => setTimeout(resolve, 300))

  const reloaded = openPage(base, 'page-reloaded-checks', { rejoin: true })
  expect(await reloaded.status).toBe(200)
  expect(reloaded.pushes.some((p) => p.kind === 'check-rejoined')).toBe(false) // another page's
  reloaded.close()
  const again = openPage(base, 'page-checking', { rejoin: true })
  await expect.poll(() => again.pushes.filter((p) => p.kind === 'check-rejoined').length).toBe(2)
  const [first, second] = again.pushes.filter((p) => p.kind === 'check-rejoined')
  const findingsBefore = page.pushes.find((p) => p.kind === 'check-done' && p.runId === done)
  expect(first).toMatchObject({
    runId: done,
    request: ticker,
    options: { durationMs: 300 },
    outcome: findingsBefore,
  })
  expect(second).toMatchObject({ runId: running, options: { durationMs: 3000 } })
  expect(second).not.toHaveProperty('outcome')
  const stepsSoFar = second?.kind === 'check-rejoined' ? second.steps.length : 0
  expect(stepsSoFar).toBeGreaterThan(0)
  // Steps come on from where the run is (each says its index), then the outcome.
  await expect
    .poll(() => again.pushes.some((p) => p.kind === 'check-done' && p.runId === running), { timeout: 10_000 })
    .toBe(true)
  const later = again.pushes.flatMap((p) =>
    p.kind === 'check-progress' && p.runId === running ? [p.index] : [],
  )
  expect(later.filter((index) => index >= stepsSoFar)).toEqual(
    later.filter((index) => index >= stepsSoFar).map((_, i) => stepsSoFar + i),
  )
  again.close()
})
