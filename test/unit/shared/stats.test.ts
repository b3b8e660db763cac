import { expect, test } from 'vitest'
import { computeStats, type StatsRow } from '../../../shared/stats/stream-stats.ts'

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
