import { redactedRecord } from '../../shared/recording/redact-recording.ts'
import type { EventLog } from './store/event-log.ts'

/** The rows the list shows (its filter applied), as NDJSON: one record per line, as `watch --json` prints them. */
export function visibleRowsAsNdjson(log: EventLog): string {
  const lines: string[] = []
  for (const index of log.visible) {
    const row = log.row(index)
    if (row) lines.push(JSON.stringify(redactedRecord(row))) // secrets redacted, as in a recording
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : ''
}
