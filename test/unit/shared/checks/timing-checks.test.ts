import { expect, test } from 'vitest'
import type { CheckRun } from '../../../../shared/checks/check-run.ts'
import { bufferingCheck, heartbeatCheck } from '../../../../shared/checks/timing-checks.ts'
import type { StreamRecord } from '../../../../shared/sse/stream-records.ts'
import { eventRecord, openRecord } from '../../../support/records.ts'

/** A run whose bytes arrive at the given times (ms after open), over `durationMs`. */
function runWithArrivals(arrivalsMs: number[], durationMs: number, commentsAtMs: number[] = []): CheckRun {
  const t0 = 1_000_000
  const records: StreamRecord[] = [openRecord({ atMs: t0 })]
  arrivalsMs.forEach((ms, i) =>
    records.push({
      kind: 'chunk',
      seq: i + 1,
      atMs: t0 + ms,
      attempt: 0,
      bytes: new Uint8Array(10),
      startByte: i * 10,
    }),
  )
  commentsAtMs.forEach((ms, i) =>
    records.push({
      kind: 'comment',
      seq: 1000 + i,
      atMs: t0 + ms,
      attempt: 0,
      text: 'ping',
      startByte: 0,
      endByte: 1,
      firstChunkSeq: 1,
      lastChunkSeq: 1,
    }),
  )
  return { url: 'http://x/', records, durationMs }
}

test('heartbeat: the longest silence is judged against common idle timeouts', () => {
  expect(heartbeatCheck(runWithArrivals([100, 200, 300], 1000)).status).toBe('pass')
  const close = heartbeatCheck(runWithArrivals([1000, 36_000], 40_000))
  expect(close).toMatchObject({ status: 'warn', evidence: { longestSilenceMs: 35_000 } })
  const cut = heartbeatCheck(runWithArrivals([1000, 70_000], 75_000))
  expect(cut.status).toBe('fail')
  expect(cut.explanation).toMatch(/69 s/)
  expect(cut.fixes.map((f) => f.target)).toContain('nginx')
})

test('heartbeat: comment interval is reported', () => {
  const finding = heartbeatCheck(
    runWithArrivals([0, 15_000, 30_000, 45_000], 50_000, [0, 15_000, 30_000, 45_000]),
  )
  expect(finding).toMatchObject({ status: 'pass', evidence: { comments: 4, heartbeatIntervalMs: 15_000 } })
})

test('buffering: the summary counts in words ("1 burst", "4 events")', () => {
  const t0 = 1_000_000
  const records: StreamRecord[] = [openRecord({ atMs: t0 })]
  for (let i = 0; i < 4; i++)
    records.push(eventRecord({ seq: i + 1, atMs: t0 + 1000 + i, startByte: i * 10, endByte: i * 10 + 10 }))
  const finding = bufferingCheck({ url: 'http://x/', records, durationMs: 5000 })
  expect(finding.explanation).toMatch(/^4 events arrived in 1 burst, /)
})

test('buffering: a few events without send times are too few to judge (skip, not pass)', () => {
  const t0 = 1_000_000
  const records: StreamRecord[] = [openRecord({ atMs: t0 })]
  for (let i = 0; i < 2; i++)
    records.push(
      eventRecord({ seq: i + 1, atMs: t0 + 1000 * (i + 1), startByte: i * 10, endByte: i * 10 + 10 }),
    )
  const finding = bufferingCheck({ url: 'http://x/', records, durationMs: 3000 })
  expect(finding).toMatchObject({ status: 'skip', evidence: { events: 2, bursts: 2 } })
  expect(finding.explanation).toMatch(/^Only 2 events in 3 s, without send times: too few to judge/)
})

test('buffering: two events with send times are enough to prove a hold-up', () => {
  const t0 = 1_000_000
  const records: StreamRecord[] = [openRecord({ atMs: t0 })]
  // Sent a second apart, arriving together: the first was held back a second.
  for (const [i, sentAtMs] of [t0 + 1000, t0 + 2000].entries())
    records.push(
      eventRecord({ seq: i + 1, atMs: t0 + 2001, data: JSON.stringify({ sentAtMs }), endByte: 20 }),
    )
  const finding = bufferingCheck({ url: 'http://x/', records, durationMs: 3000 })
  expect(finding).toMatchObject({
    status: 'fail',
    evidence: { eventsWithSendTime: 2, addedDelayMaxMs: 1000 },
  })
})

test('buffering: holds that stop at ~200 ms are named as corked sends, bursts of a page as a full buffer; longer ones are not', () => {
  /** Events of `size` bytes sent every 20 ms, arriving in bursts every `everyMs` (each held until its burst). */
  const heldUntilBursts = (everyMs: number, size = 40) => {
    const t0 = 1_000_000
    const records: StreamRecord[] = [openRecord({ atMs: t0 })]
    for (let i = 0; i < 100; i++) {
      const sentAtMs = t0 + i * 20
      const atMs = t0 + Math.ceil((i * 20 + 1) / everyMs) * everyMs + 5
      records.push(eventRecord({ seq: i + 1, atMs, data: JSON.stringify({ sentAtMs }), endByte: size }))
    }
    return bufferingCheck({ url: 'http://x/', records, durationMs: 2500 })
  }
  const corked = heldUntilBursts(220)
  expect(corked.status).toBe('warn')
  expect(corked.explanation).toMatch(/None longer than ~200 ms, .*HAProxy without option http-no-delay/)
  // As long a hold, but every burst one 4 KiB page (10 events of 400 B): a buffer sent when full.
  const paged = heldUntilBursts(200, 400)
  expect(paged.evidence.meanBurstBytes).toBe(4000)
  expect(paged.explanation).toMatch(/Bursts of ~4 KiB, one memory page: .*nginx proxy_buffering/)
  expect(paged.explanation).not.toMatch(/MSG_MORE/)
  const longer = heldUntilBursts(400)
  expect(longer.status).toBe('warn')
  expect(longer.evidence.addedDelayMaxMs).toBeGreaterThan(300)
  expect(longer.explanation).not.toMatch(/200 ms/)
})

test('heartbeat: a stream the server ends at once shows nothing about silences (skip); a longer one says it ended', () => {
  const endedAfter = (ms: number, cause: 'eof' | 'aborted' = 'eof'): CheckRun => {
    const run = runWithArrivals([10, 20], ms)
    const close = {
      kind: 'close',
      seq: 99,
      atMs: 1_000_000 + ms,
      attempt: 0,
      cause,
      willReconnect: false,
      message: 'ended',
    } as const
    return { ...run, records: [...run.records, close] }
  }
  expect(heartbeatCheck(endedAfter(150))).toMatchObject({
    status: 'skip',
    evidence: { endedAfterMs: 150 },
    explanation: 'The stream ended after 0.15 s: too soon to see how long it stays silent.',
  })
  expect(heartbeatCheck(endedAfter(5000)).explanation).toBe(
    'Longest silence 4.98 s before the stream ended after 5 s.',
  )
  // The run's own end of observation is no end of the stream.
  expect(heartbeatCheck(endedAfter(150, 'aborted')).status).toBe('pass')
})

test('buffering: 200k events with send times, one a burst, are judged (their figures once overflowed the stack)', () => {
  const t0 = 1_000_000
  const records: StreamRecord[] = [openRecord({ atMs: t0 })]
  for (let i = 0; i < 200_000; i++) {
    const atMs = t0 + 1 + i * 0.05 // 20 events a ms, each in its own chunk
    const data = JSON.stringify({ sentAtMs: atMs - 1 })
    records.push(eventRecord({ seq: i + 1, atMs, data, startByte: i * 40, endByte: i * 40 + 40 }))
  }
  const finding = bufferingCheck({ url: 'http://x/', records, durationMs: 11_000 })
  expect(finding).toMatchObject({
    status: 'pass',
    evidence: { events: 200_000, eventsWithSendTime: 200_000, addedDelayMaxMs: 0 },
  })
  expect(finding.evidence.maxEventsPerBurst).toBeGreaterThan(0)
})
