import { closeSync, openSync } from 'node:fs'
import {
  encodeHeader,
  isStoredKind,
  recordLine,
  RECORDING_FORMAT,
  RECORDING_VERSION,
  type AnnotationRecord,
  type StoredRecord,
} from '../../shared/recording/recording-format.ts'
import { redactedRecord, redactedRequest } from '../../shared/recording/redact-recording.ts'
import type { StreamRecord } from '../../shared/sse/stream-records.ts'
import type { StreamRequest } from '../../shared/sse/stream-request.ts'
import { BlockWriter } from './block-writer.ts'

/** How often buffered records reach the OS: a killed recorder loses at most about this much. */
export const FLUSH_INTERVAL_MS = 100

export type Recorder = {
  write(records: readonly (StreamRecord | AnnotationRecord)[]): void
  /** Writes what was given so far to the file (a reloaded page reads it back); the file stays open. */
  flush(): Promise<void>
  /** Flushes and closes the file; resolves with the bytes written, rejects if a write failed. */
  close(): Promise<number>
}

/**
 * Appends a session to a recording file as it happens (docs/recording-format.md). Chunks are written
 * as the raw bytes received, gathered with writev every 100 ms (and at close), so recording costs
 * little and a crash or SIGKILL leaves a file that opens, missing at most the last ~100 ms; a
 * half-written last record is detected and skipped on load. Secrets are redacted unless kept.
 *
 * The periodic writes run in the background through reusable blocks (BlockWriter), so the stream's
 * thread neither waits for the disk nor keeps the chunks alive until they are written. A failed write
 * (disk full…) stops the recording, never the stream; onFailure hears of it at once, close() reports it.
 */
export function createRecorder(
  file: string,
  request: StreamRequest,
  options: {
    isKeepingSecrets?: boolean
    /**
     * Hears, as it happens, that a write failed and the recording stopped (the stream goes on): the
     * message names the file, the reason is the error alone.
     */
    onFailure?: (message: string, reason: string) => void
  } = {},
): Recorder {
  const isRedacting = !options.isKeepingSecrets
  const fd = openSync(file, 'w')
  const failureMessage = (error: Error) => `recording to ${file} failed: ${error.message}`
  const writer = new BlockWriter(fd)
  writer.appendText(
    encodeHeader({
      format: RECORDING_FORMAT,
      version: RECORDING_VERSION,
      createdAtMs: Date.now(),
      request: isRedacting ? redactedRequest(request) : request,
      meta: { recordedBy: 'sse-inspector' },
    }),
  )
  writer.flushNow() // the file opens as a recording from the start
  if (writer.error) {
    // Not even the header fits (a full disk): refuse at once rather than record nothing.
    closeSync(fd)
    throw writer.error
  }
  const { onFailure } = options
  if (onFailure) writer.onFailure = (error) => onFailure(failureMessage(error), error.message)
  const timer = setInterval(() => writer.flush(), FLUSH_INTERVAL_MS)
  timer.unref()
  let isClosed = false
  return {
    write(records) {
      if (isClosed || writer.error) return
      for (const record of records) {
        if (!isStoredKind(record.kind)) continue
        const stored = record as StoredRecord
        writer.appendText(recordLine(isRedacting ? redactedRecord(stored) : stored))
        if (stored.kind === 'chunk') writer.append(stored.bytes)
      }
    },
    async flush() {
      await writer.settled()
      if (!isClosed) writer.flushNow() // closed meanwhile: close flushed it, and the file is shut
    },
    async close() {
      if (!isClosed) {
        isClosed = true
        clearInterval(timer)
        await writer.flushAll()
        closeSync(fd)
      }
      if (writer.error) throw new Error(failureMessage(writer.error))
      return writer.bytesWritten
    },
  }
}
