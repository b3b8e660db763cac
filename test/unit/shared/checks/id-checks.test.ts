import { expect, test } from 'vitest'
import type { CheckRun } from '../../../../shared/checks/check-run.ts'
import { idsCheck, resumeCheck, retryCheck } from '../../../../shared/checks/id-checks.ts'
import type { StreamRecord } from '../../../../shared/sse/stream-records.ts'
import { eventRecord, openRecord } from '../../../support/records.ts'

const open = openRecord()
const eventsWithIds = (ids: (string | undefined)[]): StreamRecord[] =>
  ids.map((id, i) => eventRecord({ seq: i + 1, atMs: i, id }))

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

test('ids: numeric ids that go down once say "once"; more, how many times', () => {
  const once = idsCheck({
    url: 'http://x/',
    records: [open, ...eventsWithIds(['1', '5', '3', '4'])],
    durationMs: 1,
  })
  expect(once).toMatchObject({
    status: 'warn',
    explanation: expect.stringMatching(/^Numeric ids go down once:/),
  })
  const twice = idsCheck({
    url: 'http://x/',
    records: [open, ...eventsWithIds(['9', '5', '3'])],
    durationMs: 1,
  })
  expect(twice.explanation).toMatch(/^Numeric ids go down 2 times:/)
})

test('retry: a server repeating retry lines (valid or not) gets the distinct values, the first few, not all of them', () => {
  const range = { startByte: 0, endByte: 1, firstChunkSeq: 0, lastChunkSeq: 0 }
  const retries: StreamRecord[] = Array.from({ length: 200_000 }, (_, i) => ({
    kind: 'retry',
    seq: i + 1,
    atMs: i,
    attempt: 0,
    ms: 1000 + (i % 12),
    ...range,
  }))
  const valid = retryCheck({ url: 'http://x/', records: [open, ...retries], durationMs: 1 })
  expect(valid.evidence.retryValuesMs).toBe('1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, …')
  expect(valid.explanation).toBe(
    'Retry hints (1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, … ms) are valid.',
  )
  const invalid: StreamRecord[] = Array.from({ length: 200_000 }, (_, i) => ({
    kind: 'warning',
    seq: i + 1,
    atMs: i,
    attempt: 0,
    code: 'invalid-retry',
    message: `retry value "${i % 5}s" is not only ASCII digits; ignored`,
    ...range,
  }))
  const failed = retryCheck({ url: 'http://x/', records: [open, ...invalid], durationMs: 1 })
  expect(failed.explanation).toBe(
    '200000 retry fields are ignored by clients: retry value "0s" is not only ASCII digits; ignored; retry value "1s" is not only ASCII digits; ignored; retry value "2s" is not only ASCII digits; ignored; ….',
  )
})
