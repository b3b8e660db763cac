import { redactedRecord } from '../../shared/recording/redact-recording.ts'
import type { EventLog } from './store/event-log.ts'

/** Rows serialized between yields to the page: a slice takes tens of milliseconds at most. */
const ROWS_PER_SLICE = 20_000

/**
 * The rows the list shows (its filter applied), as NDJSON — one record per line, as `watch --json` prints
 * them, secrets redacted as in a recording — in parts of one slice each: a million rows would pass the
 * engine's longest string as one, and take seconds, so the page yields between slices and reports
 * progress (0 to 1). The rows are those shown when it starts; any evicted meanwhile are left out.
 */
export async function visibleRowsAsNdjsonParts(
  log: EventLog,
  onProgress: (fraction: number) => void = () => {},
  rowsPerSlice = ROWS_PER_SLICE,
): Promise<string[]> {
  const indices = log.visible.slice()
  const parts: string[] = []
  for (let start = 0; start < indices.length; start += rowsPerSlice) {
    const lines: string[] = []
    for (const index of indices.slice(start, start + rowsPerSlice)) {
      const row = log.row(index)
      if (row) lines.push(JSON.stringify(redactedRecord(row)), '\n')
    }
    parts.push(lines.join(''))
    onProgress(Math.min(1, (start + rowsPerSlice) / indices.length))
    if (start + rowsPerSlice < indices.length) await new Promise((resolve) => setTimeout(resolve, 0))
  }
  return parts
}
