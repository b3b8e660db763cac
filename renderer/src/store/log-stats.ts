import { StreamStatsTally, type StatsRow, type StreamStats } from '../../../shared/stats/stream-stats.ts'
import type { EventLog } from './event-log.ts'
import { measureCost } from '../measure-cost.ts'

/** Each tab's tally and the next row it reads: a refresh reads only the rows that came since. */
const tallies = new WeakMap<EventLog, { tally: StreamStatsTally; nextRow: number }>()

/** The statistics of the rows a tab holds, reading only the rows that came since it was last asked. */
export function statsOfLog(log: EventLog): StreamStats {
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
  for (; entry.nextRow < log.rowCount; entry.nextRow++) {
    const row = log.row(entry.nextRow)
    if (row) entry.tally.add(row as StatsRow)
  }
  return entry.tally.stats()
}
