import { expect, test } from 'vitest'
import type { WireRecord } from '../../../shared/api.ts'
import { DEFAULT_FILTER, EventLog, RowBudget } from '../../../renderer/src/store/event-log.ts'
import { visibleRowsAsNdjsonParts } from '../../../renderer/src/export-rows.ts'
import { filterPatternOf, NESTED_REPETITION } from '../../../renderer/src/filter-pattern.ts'

let seq = 0
const event = (data: string, id?: string): WireRecord => ({
  kind: 'event',
  seq: seq++,
  atMs: 1000 + seq,
  attempt: 0,
  type: 'message',
  data,
  id,
  lastEventId: id ?? '',
  startByte: 0,
  endByte: 1,
  firstChunkSeq: 0,
  lastChunkSeq: 0,
})
const comment = (text: string): WireRecord => ({
  kind: 'comment',
  seq: seq++,
  atMs: 1000 + seq,
  attempt: 0,
  text,
  startByte: 0,
  endByte: 1,
  firstChunkSeq: 0,
  lastChunkSeq: 0,
})

test('event log: the visible index grows with batches and follows the filter', () => {
  const log = new EventLog()
  log.append([event('alpha', '1'), comment('ping'), event('beta', '2')])
  expect(log.visible).toEqual([0, 1, 2])
  log.setFilter({ ...DEFAULT_FILTER, text: 'BETA' })
  expect(log.visible).toEqual([2])
  log.append([event('beta again', '3'), event('gamma', '4')])
  expect(log.visible).toEqual([2, 3])
  log.setFilter({ ...DEFAULT_FILTER, text: '/^(alpha|gamma)$/' })
  expect(log.visible.map((i) => (log.row(i) as { data: string }).data)).toEqual(['alpha', 'gamma'])
  log.setFilter({ ...DEFAULT_FILTER, kinds: new Set(['comment']) })
  expect(log.visible).toEqual([1])
  log.setFilter({ ...DEFAULT_FILTER, id: '3' })
  expect(log.visible).toEqual([3])
})

test('event log: a /regex/ whose repetitions nest is refused, not run: against these rows it would never end', () => {
  const log = new EventLog()
  const padded = `{"pad":"${'x'.repeat(60)}"}` // (x+x+)+y backtracks 2^60 ways on each
  log.append([event(padded, '1'), event('xy', '2'), event('alpha', '3')])
  log.setFilter({ ...DEFAULT_FILTER, text: '/(x+x+)+y/' })
  expect(log.visible).toEqual([])
  expect(filterPatternOf('/(x+x+)+y/').problem).toBe(NESTED_REPETITION)
  log.setFilter({ ...DEFAULT_FILTER, text: '/x+y/' }) // one level: linear enough
  expect(log.visible).toEqual([1])
  log.setFilter({ ...DEFAULT_FILTER, text: '/(?<=a)lpha/' }) // a lookbehind its checker cannot read: run
  expect(log.visible).toEqual([2])
  expect(filterPatternOf('/(?<=a)lpha/').problem).toBeUndefined()
  expect(filterPatternOf('/x(/').problem).toMatch(/Invalid regular expression/)
  expect(filterPatternOf('ALPHA').test('alpha beta')).toBe(true) // plain text, any case
})

test('event log: past the cap the oldest rows go, indices stay absolute', () => {
  const log = new EventLog(100)
  for (let i = 0; i < 250; i++) log.append([event(`e${i}`, String(i))])
  expect(log.evicted).toBeGreaterThan(0)
  expect(log.rowCount - log.evicted).toBeLessThanOrEqual(100)
  expect(log.row(0)).toBeUndefined()
  expect((log.row(249) as { data: string }).data).toBe('e249')
  expect(log.visible[0]).toBe(log.evicted)
  expect(log.visible.at(-1)).toBe(249)
  expect(log.eventCount).toBe(250)
  expect(log.firstAtMs).toBeLessThan((log.row(log.evicted) as { atMs: number }).atMs)
})

test('event log: all connections share a row budget; the largest log gives up its oldest rows', () => {
  const budget = new RowBudget(300)
  const busy = new EventLog(1000, budget)
  const quiet = new EventLog(1000, budget)
  for (let i = 0; i < 250; i++) busy.append([event(`b${i}`)])
  for (let i = 0; i < 100; i++) quiet.append([event(`q${i}`)])
  expect(budget.heldRows).toBeLessThanOrEqual(300)
  expect(quiet.evicted).toBe(0) // the busy tab paid
  expect(busy.evicted).toBeGreaterThan(0)
  expect((busy.row(249) as { data: string }).data).toBe('b249')
  expect(busy.visible[0]).toBe(busy.evicted)
  // A closed connection's rows stop counting: the next one may hold them.
  budget.release(busy)
  const next = new EventLog(1000, budget)
  for (let i = 0; i < 200; i++) next.append([event(`n${i}`)])
  expect(next.evicted).toBe(0)
  expect(quiet.evicted).toBe(0)
  expect(budget.heldRows).toBe(300)
  next.append([event('one more')])
  expect(budget.heldRows).toBeLessThanOrEqual(300)
  expect(next.evicted).toBeGreaterThan(0)
})

const chunk = (sizeBytes: number): WireRecord => ({
  kind: 'chunk',
  seq: seq++,
  atMs: 1000 + seq,
  attempt: 0,
  startByte: 0,
  sizeBytes,
})

test('event log: chunks stay bounded, with the timeline track beside them, however few rows come', () => {
  const log = new EventLog(100)
  for (let i = 0; i < 1000; i++) log.append([chunk(1)]) // a byte at a time, no row yet
  expect(log.chunks.size).toBeLessThanOrEqual(100)
  expect(log.chunkColumns.length).toBe(log.chunks.size)
  expect(log.chunkColumns.times[log.chunkColumns.length - 1]).toBe([...log.chunks.values()].at(-1)!.atMs)
  expect(log.byteCount).toBe(1000) // the totals still count them all
})

test('event log: evicting rows drops the chunks before them from the timeline track too', () => {
  const log = new EventLog(100)
  for (let i = 0; i < 250; i++) log.append([chunk(10), event(`e${i}`)])
  expect(log.chunkColumns.length).toBe(log.chunks.size)
  expect(log.chunks.size).toBeLessThanOrEqual(101)
})

test('event log: rows skipped on the way (the page fell behind) drop all held before them and are counted', () => {
  const log = new EventLog(1000)
  log.append([chunk(10), event('old 1', '1'), comment('ping'), event('old 2', '2')])
  log.setFilter({ ...DEFAULT_FILTER, kinds: new Set(['event']) })
  log.skip({ rows: 500, events: 400, bytes: 9000 })
  expect(log.heldRows).toBe(0)
  expect(log.chunks.size).toBe(0)
  expect(log.chunkColumns.length).toBe(0)
  expect(log.columns.length).toBe(0)
  expect(log.visible).toEqual([])
  log.append([chunk(20), event('new', '903')])
  expect(log.evicted).toBe(503)
  expect(log.rowCount).toBe(504)
  expect((log.row(503) as { data: string }).data).toBe('new')
  expect(log.visible).toEqual([503])
  expect(log.eventCount).toBe(403)
  expect(log.skippedEvents).toBe(400)
  expect(log.byteCount).toBe(9030)
  expect(log.eventColumns.length).toBe(1)
  // Counted by a reload's read-back (older than the tab holds): dropped from view, not "to keep up".
  log.skip({ rows: 100, events: 90, bytes: 10, isReadBack: true })
  expect(log.evicted).toBe(604)
  expect(log.eventCount).toBe(493)
  expect(log.skippedEvents).toBe(400)
})

test('event log: an event type filter keeps only events of that type, and rows of other kinds', () => {
  const log = new EventLog()
  const typed = (type: string): WireRecord => ({
    ...(event(type) as Extract<WireRecord, { kind: 'event' }>),
    type,
  })
  log.append([typed('a'), typed('b'), comment('ping'), typed('a')])
  log.setFilter({ ...DEFAULT_FILTER, eventType: 'a' })
  const shown = log.visible.map((i) => log.row(i)!)
  expect(shown.map((r) => (r.kind === 'event' ? r.type : r.kind))).toEqual(['a', 'comment', 'a'])
})

test('export rows: the rows shown, filter applied, redacted, in slices with progress', async () => {
  const log = new EventLog()
  const rows = Array.from({ length: 25 }, (_, i) => event(i % 5 === 0 ? `skip ${i}` : `keep ${i}`, String(i)))
  log.append([...rows, comment('ping')])
  log.setFilter({ ...DEFAULT_FILTER, text: 'keep' })
  const progress: number[] = []
  const parts = await visibleRowsAsNdjsonParts(log, (fraction) => progress.push(fraction), 7)
  expect(parts).toHaveLength(3) // 20 rows, 7 a slice
  expect(progress).toEqual([7 / 20, 14 / 20, 1])
  const lines = parts.join('').split('\n')
  expect(lines.pop()).toBe('') // every record ends its line
  expect(lines.map((line) => (JSON.parse(line) as { data: string }).data)).toEqual(
    rows.filter((_, i) => i % 5 !== 0).map((r) => (r as { data: string }).data),
  )
})

test('export rows: a request row is exported with its secrets redacted', async () => {
  const log = new EventLog()
  log.append([
    {
      kind: 'request',
      seq: seq++,
      atMs: 1,
      attempt: 0,
      method: 'GET',
      url: 'http://127.0.0.1:1/s?access_token=abc123',
      headers: [['Authorization', 'Bearer abc123']],
      hasBody: false,
    },
  ])
  const [part] = await visibleRowsAsNdjsonParts(log)
  expect(part).not.toContain('abc123')
  expect(part).toContain('"kind":"request"')
})
