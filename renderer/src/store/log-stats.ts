import { StreamStatsTally, type StatsRow, type StreamStats } from '../../../shared/stats/stream-stats.ts'
import type { EventLog } from './event-log.ts'
import { measureCost } from '../measure-cost.ts'

/** Each tab's tally and the next row it reads: a refresh reads only the rows that came since. */
const tallies = new WeakMap<EventLog, { tally: StreamStatsTally; nextRow: number }>()

/** Rows read into a tab's figures at a time: a million at once held the page for ~100–300 ms. */
export const ROWS_PER_TURN = 100_000

/**
 * The statistics of the rows a tab holds, reading only the rows that came since it was last asked (at
 * most `maxRows` of them: the figures so far, and how many rows are still to be read).
 */
export function statsOfLog(log: EventLog, maxRows = Infinity): { stats: StreamStats; rowsLeft: number } {
  let entry = tallies.get(log)
  if (!entry) {
    const created = { tally: new StreamStatsTally(), nextRow: log.evicted }
    // Rows a tab drops past its row limit leave the figures as they go (the rows are gone after).
    log.watchEvictions((rows, firstIndex) => {
      const startMs = performance.now()
      const counted = Math.min(rows.length, created.nextRow - firstIndex)
      for (let i = 0; i < counted; i++) created.tally.drop(rows[i] as StatsRow)
      measureCost('stats-evict', startMs)
    })
    tallies.set(log, (entry = created))
  }
  // Rows evicted before they were read (or skipped by the backend) are never read: not even looked up.
  entry.nextRow = Math.max(entry.nextRow, log.evicted)
  const until = Math.min(log.rowCount, entry.nextRow + maxRows)
  for (; entry.nextRow < until; entry.nextRow++) {
    const row = log.row(entry.nextRow)
    if (row) entry.tally.add(row as StatsRow)
  }
  return { stats: entry.tally.stats(), rowsLeft: log.rowCount - entry.nextRow }
}
