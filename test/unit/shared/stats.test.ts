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

test('stats of a window: rows dropped from the old end as others come, each snapshot equals the figures of the rows held', () => {
  // Ids that go back and skip (a reconnect replaying, a server losing some), silences, types coming and
  // going, requests and opens of reconnects: every figure must forget what left the window.
  let seed = 11
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  const rows: StatsRow[] = []
  for (let i = 0, atMs = 0, id = 1; i < 4000; i++) {
    atMs += random() < 0.02 ? 2000 + Math.floor(random() * 3000) : Math.floor(random() * 40) / 4
    if (i % 500 === 0) {
      rows.push({ kind: 'request', atMs, attempt: i / 500 })
      rows.push({ kind: 'open', atMs: atMs + 3 + (i % 7), attempt: i / 500 })
      id -= Math.floor(random() * 20) // a resume that replays some
      continue
    }
    id += random() < 0.05 ? 2 + Math.floor(random() * 5) : 1
    const type = random() < 0.01 ? `rare-${i}` : random() < 0.5 ? 'a' : 'b'
    const hasId = random() < 0.9
    rows.push(
      ev(
        atMs,
        'x'.repeat(Math.floor(random() * 30)) + (random() < 0.1 ? 'é' : ''),
        hasId ? String(id) : undefined,
        type,
      ),
    )
    if (random() < 0.05) rows.push({ kind: random() < 0.5 ? 'comment' : 'warning', atMs, attempt: 0 })
    if (random() < 0.01) rows.push({ kind: 'reconnect', atMs, attempt: 0 })
  }
  const tally = new StreamStatsTally()
  let [first, next] = [0, 0]
  while (next < rows.length) {
    const until = Math.min(rows.length, next + 1 + Math.floor(random() * 300))
    for (; next < until; next++) tally.add(rows[next]!)
    const dropTo = Math.min(next, first + Math.floor(random() * 320))
    for (; first < dropTo; first++) tally.drop(rows[first]!)
    expect(tally.stats()).toEqual(computeStats(rows.slice(first, next)))
  }
  // Emptied, then filled again: as new.
  for (; first < next; first++) tally.drop(rows[first]!)
  expect(tally.stats()).toEqual(computeStats([]))
  for (const row of rows.slice(0, 50)) tally.add(row)
  expect(tally.stats()).toEqual(computeStats(rows.slice(0, 50)))
})

test('stats of a window: the largest gap and the longest silence go when their rows go', () => {
  const tally = new StreamStatsTally()
  const rows = [
    ev(0, 'a'),
    ev(5000, 'b'),
    { kind: 'comment', atMs: 9000, attempt: 0 } as StatsRow,
    ev(9010, 'c'),
  ]
  for (const row of rows) tally.add(row)
  expect(tally.stats()).toMatchObject({ longestSilenceMs: 5000, interArrivalMs: { max: 5000 } })
  tally.drop(rows[0]!)
  expect(tally.stats()).toMatchObject({ longestSilenceMs: 4000, interArrivalMs: { max: 4010 } })
  tally.drop(rows[1]!)
  expect(tally.stats()).toMatchObject({ longestSilenceMs: 10, interArrivalMs: { max: 0 }, events: 1 })
})

test('stats of a window: an id held three times is a duplicate twice, once when one goes, none when two go', () => {
  const tally = new StreamStatsTally()
  const rows = [ev(0, 'a', '7'), ev(1, 'b', '7'), ev(2, 'c', '8'), ev(3, 'd', '7')]
  for (const row of rows) tally.add(row)
  expect(tally.stats().ids).toMatchObject({ withId: 4, duplicates: 2 })
  tally.drop(rows[0]!)
  expect(tally.stats().ids).toMatchObject({ withId: 3, duplicates: 1 })
  tally.drop(rows[1]!)
  expect(tally.stats().ids).toMatchObject({ withId: 2, duplicates: 0 })
  tally.add(ev(4, 'e', '7'))
  expect(tally.stats().ids).toMatchObject({ withId: 3, duplicates: 1 })
})
