import { expect, test } from 'vitest'
import type { WireRecord } from '../../../shared/api.ts'
import { computeStats, type StatsRow } from '../../../shared/stats/stream-stats.ts'
import { EventLog, type RowRecord } from '../../../renderer/src/store/event-log.ts'
import { statsOfLog } from '../../../renderer/src/store/log-stats.ts'

let seq = 0
const event = (data: string, id: string, atMs: number): WireRecord => ({
  kind: 'event',
  seq: seq++,
  atMs,
  attempt: 0,
  type: Number(id) % 3 === 0 ? 'tick' : 'message',
  data,
  id,
  lastEventId: id,
  startByte: 0,
  endByte: 1,
  firstChunkSeq: 0,
  lastChunkSeq: 0,
})

const heldRows = (log: EventLog): RowRecord[] => {
  const rows: RowRecord[] = []
  for (let i = log.evicted; i < log.rowCount; i++) rows.push(log.row(i)!)
  return rows
}

test('a tab past its row limit: its statistics are those of the rows it holds, asked now and then or not at all', () => {
  const log = new EventLog(1000) // evicts its oldest 100 rows past 1000
  const stats = () => statsOfLog(log).stats
  let atMs = 0
  const batch = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => {
      atMs += (from + i) % 97 === 0 ? 700 : ((from + i) % 7) + 1 // a silence now and then
      const id = from + i + ((from + i) % 250 === 0 ? 5 : 0) // gaps in the ids
      return event('x'.repeat((from + i) % 40), String(id), atMs)
    })
  let sent = 0
  for (let round = 0; round < 40; round++) {
    const count = 37 + ((round * 53) % 190)
    log.append(batch(sent, count))
    sent += count
    // Asked after some batches only: rows read then evicted, and rows evicted before they were read.
    if (round % 3 !== 1) expect(stats()).toEqual(computeStats(heldRows(log) as StatsRow[]))
  }
  expect(log.evicted).toBeGreaterThan(3000)
  // The backend skipped rows (the page fell behind): all held go, the figures start again from the next.
  log.skip({ rows: 500, events: 500, bytes: 5000 })
  expect(stats().events).toBe(0)
  log.append(batch(sent + 500, 120))
  expect(stats()).toEqual(computeStats(heldRows(log) as StatsRow[]))
  expect(stats().events).toBe(120)
})

test('a tab of many rows is read in turns: the figures so far and the rows left, rows evicted meanwhile out', () => {
  const log = new EventLog(1000)
  const events = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => event('x'.repeat((from + i) % 9), String(from + i), from + i))
  log.append(events(0, 900))
  const first = statsOfLog(log, 300)
  expect(first.rowsLeft).toBe(600)
  expect(first.stats.events).toBe(300)
  log.append(events(900, 400)) // past the limit: the oldest 100 go, some of them read, some not
  expect(log.evicted).toBe(100)
  const turns: number[] = []
  for (let figures = statsOfLog(log, 300); ; figures = statsOfLog(log, 300)) {
    turns.push(figures.rowsLeft)
    if (figures.rowsLeft === 0) {
      expect(figures.stats).toEqual(computeStats(heldRows(log) as StatsRow[]))
      break
    }
  }
  expect(turns).toEqual([700, 400, 100, 0])
})
