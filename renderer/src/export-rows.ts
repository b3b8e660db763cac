import { redactedRecord } from '../../shared/recording/redact-recording.ts'
import type { EventLog, RowRecord } from './store/event-log.ts'

/** A row as it leaves the app (copied, exported): its request or response headers' secrets redacted. */
export function shareableRow(row: RowRecord): RowRecord {
  return redactedRecord(row)
}

/** The rows the list shows (its filter applied), as NDJSON: one record per line, as `watch --json` prints them. */
export function visibleRowsAsNdjson(log: EventLog): string {
  const lines: string[] = []
  for (const index of log.visible) {
    const row = log.row(index)
    if (row) lines.push(JSON.stringify(shareableRow(row)))
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : ''
}
