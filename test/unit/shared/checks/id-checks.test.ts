import { expect, test } from 'vitest'
import type { CheckRun } from '../../../../shared/checks/check-run.ts'
import { idsCheck, resumeCheck } from '../../../../shared/checks/id-checks.ts'
import type { StreamRecord } from '../../../../shared/sse/stream-records.ts'

const open: StreamRecord = {
  kind: 'open',
  seq: 0,
  atMs: 0,
  attempt: 0,
  status: 200,
  statusText: 'OK',
  headers: [['content-type', 'text/event-stream']],
  httpVersion: '1.1',
  url: 'http://x/',
  isRedirected: false,
  timeToHeadersMs: 1,
}
const eventsWithIds = (ids: (string | undefined)[]): StreamRecord[] =>
  ids.map((id, i) => ({
    kind: 'event',
    seq: i + 1,
    atMs: i,
    attempt: 0,
    type: 'message',
    data: 'x',
    id,
    lastEventId: id ?? '',
    startByte: 0,
    endByte: 1,
    firstChunkSeq: 0,
    lastChunkSeq: 0,
  }))

test('resume: a gap of one event is said in the singular', () => {
  const run: CheckRun = {
    url: 'http://x/',
    records: [open, ...eventsWithIds(['1', '2', '3'])],
    durationMs: 1000,
    resume: { sentId: '2', records: [open, ...eventsWithIds(['4'])] },
  }
  expect(resumeCheck(run)).toMatchObject({
    status: 'fail',
    explanation: 'After 2 the server continued at 4: 1 event was lost.',
  })
  run.resume = { sentId: '2', records: [open, ...eventsWithIds(['6'])] }
  expect(resumeCheck(run).explanation).toBe('After 2 the server continued at 6: 3 events were lost.')
})

test('ids: one duplicate, and one event without an id, are said in the singular', () => {
  const duplicate = idsCheck({
    url: 'http://x/',
    records: [open, ...eventsWithIds(['1', '2', '2'])],
    durationMs: 1,
  })
  expect(duplicate.explanation).toMatch(/^1 event repeats an id seen earlier/)
  const partial = idsCheck({
    url: 'http://x/',
    records: [open, ...eventsWithIds(['1', undefined, '3'])],
    durationMs: 1,
  })
  expect(partial.explanation).toContain('(1 event without one keeps the previous id)')
})
