import { formatBytes } from '../../shared/format-bytes.ts'
import type { StreamRecord } from '../../shared/sse/stream-records.ts'
import { plural } from '../../shared/plural.ts'

/** Counts what `watch` or `replay` showed, for the one-line summary printed at the end (as ping does). */
export function createOutputTally() {
  let events = 0
  let comments = 0
  let warnings = 0
  let reconnects = 0
  let bytes = 0
  let firstAtMs: number | undefined
  let lastAtMs = 0
  let lastEventId = ''
  let firstEventAfterMs: number | undefined // from the first request: what a client waits for its first event
  return {
    add(records: readonly StreamRecord[]): void {
      for (const record of records) {
        firstAtMs ??= record.atMs
        lastAtMs = record.atMs
        if (record.kind === 'event') {
          if (events === 0 && firstAtMs !== undefined) firstEventAfterMs = record.atMs - firstAtMs
          events++
          lastEventId = record.lastEventId
        } else if (record.kind === 'chunk') bytes += record.bytes.length
        else if (record.kind === 'comment') comments++
        else if (record.kind === 'warning') warnings++
        else if (record.kind === 'reconnect') reconnects++
      }
    },
    /** "12 events (the first after 35 ms), 3 comments, 1 warning, 0 reconnects · 4.1 KiB in 12.3 s · last id 12" */
    summary(): string {
      const seconds = firstAtMs === undefined ? 0 : (lastAtMs - firstAtMs) / 1000
      const first =
        firstEventAfterMs === undefined ? '' : ` (the first after ${Math.round(firstEventAfterMs)} ms)`
      const counts = [
        plural(events, 'event') + first,
        plural(comments, 'comment'),
        plural(warnings, 'warning'),
        plural(reconnects, 'reconnect'),
      ]
      const id = lastEventId === '' ? '' : ` · last id ${lastEventId}`
      return `── ${counts.join(', ')} · ${formatBytes(bytes)} in ${seconds.toFixed(1)} s${id}`
    },
  }
}
