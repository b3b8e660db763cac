import type { RecordingSummary } from '../../shared/recording/library.ts'
import type { AnnotationRecord } from '../../shared/recording/recording-format.ts'
import { isFinalClose, type StreamRecord } from '../../shared/sse/stream-records.ts'

/** The figures a library entry shows of a recording, counted from its records. */
export type RecordingFigures = Pick<RecordingSummary, 'startedAtMs' | 'durationMs' | 'events' | 'bytes'> & {
  /** The cause of the close that ended the stream, if the records end with one (else it was cut short). */
  lastCloseCause?: string
}

/**
 * Counts a recording's records as they are read (framed, not held: 100 MB of tiny events are 12M of
 * them): its span, events and body bytes, and how it ended.
 */
export class RecordingTally {
  private first: number | undefined
  private last: number | undefined
  private events = 0
  private bytes = 0
  private lastCloseCause: string | undefined

  add(record: StreamRecord | AnnotationRecord): void {
    this.first ??= record.atMs
    this.last = record.atMs
    if (record.kind === 'event') this.events++
    else if (record.kind === 'chunk') this.bytes += record.bytes.length
    // A close that reconnects, or is followed by more, did not end the recording.
    if (isFinalClose(record)) this.lastCloseCause = record.cause
    else if (record.kind !== 'annotation') this.lastCloseCause = undefined
  }

  figures(fallbackStartMs: number): RecordingFigures {
    const startedAtMs = this.first ?? fallbackStartMs
    return {
      startedAtMs,
      durationMs: (this.last ?? startedAtMs) - startedAtMs,
      events: this.events,
      bytes: this.bytes,
      ...(this.lastCloseCause !== undefined ? { lastCloseCause: this.lastCloseCause } : {}),
    }
  }
}
