import { expect, test } from 'vitest'
import { computeStats, StreamStatsTally, type StatsRow } from '../../../shared/stats/stream-stats.ts'

const ev = (atMs: number, data: string, id?: string, type = 'message'): StatsRow => ({
  kind: 'event',
  atMs,
  type,
  data,
  id,
  attempt: 0,
})

test('stats: counts by type, sizes, inter-arrival, silences, id gaps and duplicates', () => {
  const stats = computeStats([
    { kind: 'open', atMs: 0, attempt: 0 },
    ev(10, 'a', '1'),
    ev(20, 'bbb', '2', 'tick'),
    { kind: 'comment', atMs: 1020, attempt: 0 },
    ev(1030, 'é', '5'),
    ev(1040, 'cc', '5'),
    { kind: 'reconnect', atMs: 1050, attempt: 0 },
    { kind: 'warning', atMs: 1060, attempt: 1 },
  ])
  expect(stats.events).toBe(4)
  expect(stats.eventsByType).toEqual([
    { type: 'message', count: 3 },
    { type: 'tick', count: 1 },
  ])
  expect(stats.sizeBytes).toEqual({ min: 1, median: 2, max: 3, total: 8 })
  expect(stats.interArrivalMs).toMatchObject({ median: 10, max: 1010 })
  expect(stats.interArrivalMs.histogram.find((b) => b.upToMs === 10)!.count).toBe(2)
  expect(stats.interArrivalMs.histogram.find((b) => b.upToMs === 5000)!.count).toBe(1)
  expect(stats.longestSilenceMs).toBe(1000)
  expect(stats).toMatchObject({ comments: 1, warnings: 1, reconnects: 1 })
  expect(stats.ids).toEqual({ withId: 4, duplicates: 1, gaps: 1, missing: 2 })
})

test('stats: the first event and the first headers are timed from the first request', () => {
  const stats = computeStats([
    { kind: 'request', atMs: 100, attempt: 0 },
    { kind: 'open', atMs: 130, attempt: 0 },
    ev(350, 'a'),
    { kind: 'request', atMs: 900, attempt: 1 }, // a reconnect does not restart the clock
    { kind: 'open', atMs: 905, attempt: 1 },
    ev(910, 'b'),
  ])
  expect(stats.firstResponseMs).toEqual({ headers: 30, event: 250 })
  expect(computeStats([{ kind: 'request', atMs: 0, attempt: 0 }]).firstResponseMs).toEqual({})
})

test('stats: event types are counted whatever their names, most frequent first', () => {
  const stats = computeStats([
    ev(1, 'a', undefined, 'constructor'),
    ev(2, 'b', undefined, '__proto__'),
    ev(3, 'c', undefined, 'toString'),
    ev(4, 'd', undefined, '__proto__'),
  ])
  expect(stats.eventsByType).toEqual([
    { type: '__proto__', count: 2 },
    { type: 'constructor', count: 1 },
    { type: 'toString', count: 1 },
  ])
})

test('stats as rows arrive: each snapshot equals the figures of the rows so far, percentiles as a sort finds them', () => {
  // Random gaps and sizes (many equal values, as real streams have), read in slices with snapshots between.
  let seed = 7
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  const rows: StatsRow[] = [{ kind: 'request', atMs: 0, attempt: 0 }]
  for (let i = 0, atMs = 5; i < 3000; i++, atMs += Math.floor(random() * 40) / 4) {
    const data = 'x'.repeat(Math.floor(random() * 30)) + (random() < 0.1 ? 'é' : '')
    rows.push(ev(atMs, data, String(i + (random() < 0.05 ? 2 : 1)), random() < 0.3 ? 'a' : 'b'))
    if (random() < 0.1) rows.push({ kind: 'comment', atMs, attempt: 0 })
  }
  const tally = new StreamStatsTally()
  for (let read = 0; read < rows.length;) {
    const until = Math.min(rows.length, read + 1 + Math.floor(random() * 400))
    for (; read < until; read++) tally.add(rows[read]!)
    const stats = tally.stats()
    expect(stats).toEqual(computeStats(rows.slice(0, read)))
    // The reference: every size and gap kept and sorted, ranks floor(n·p).
    const events = rows.slice(0, read).filter((r) => r.kind === 'event')
    const sizes = events.map((e) => new TextEncoder().encode(e.data).length).sort((a, b) => a - b)
    const gaps = events
      .slice(1)
      .map((e, i) => e.atMs - events[i]!.atMs)
      .sort((a, b) => a - b)
    const at = (sorted: number[], p: number) =>
      sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0
    expect(stats.sizeBytes).toEqual({
      min: sizes[0] ?? 0,
      median: at(sizes, 0.5),
      max: sizes.at(-1) ?? 0,
      total: sizes.reduce((n, s) => n + s, 0),
    })
    expect(stats.interArrivalMs).toMatchObject({
      median: at(gaps, 0.5),
      p95: at(gaps, 0.95),
      max: gaps.at(-1) ?? 0,
    })
  }
  expect(tally.stats().events).toBe(3000)
})
