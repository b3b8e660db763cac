import { closeSync, openSync, writevSync } from 'node:fs'
import { redactHeaders } from '../../shared/redact-headers.ts'
import {
  encodeHeader,
  isStoredKind,
  recordLine,
  RECORDING_FORMAT,
  RECORDING_VERSION,
  type AnnotationRecord,
  type StoredRecord,
} from '../../shared/recording/recording-format.ts'
import type { StreamRecord } from '../../shared/sse/stream-records.ts'
import type { StreamRequest } from '../../shared/sse/stream-request.ts'

/** How often buffered records reach the OS: a killed recorder loses at most about this much. */
export const FLUSH_INTERVAL_MS = 100

export type Recorder = {
  write(records: readonly (StreamRecord | AnnotationRecord)[]): void
  /** Flushes and closes the file; resolves with the bytes written. */
  close(): Promise<number>
}

/**
 * Appends a session to a recording file as it happens (docs/recording-format.md). Chunks are written
 * as the raw bytes received, gathered with writev every 100 ms (and at close), so recording costs
 * little and a crash or SIGKILL leaves a file that opens, missing at most the last ~100 ms; a
 * half-written last record is detected and skipped on load. Secrets are redacted unless kept.
 */
export function createRecorder(
  file: string,
  request: StreamRequest,
  options: { isKeepingSecrets?: boolean } = {},
): Recorder {
  const isRedacting = !options.isKeepingSecrets
  const fd = openSync(file, 'w')
  let pending: Uint8Array[] = []
  let bytesWritten = 0
  const flush = () => {
    if (pending.length === 0) return
    const parts = pending
    pending = []
    // writev takes at most IOV_MAX (1024) buffers per call.
    for (let i = 0; i < parts.length; i += 1024) bytesWritten += writevSync(fd, parts.slice(i, i + 1024))
  }
  pending.push(
    Buffer.from(
      encodeHeader({
        format: RECORDING_FORMAT,
        version: RECORDING_VERSION,
        createdAtMs: Date.now(),
        request: isRedacting ? { ...request, headers: redactHeaders(request.headers ?? []) } : request,
        meta: { recordedBy: 'sse-inspector' },
      }),
    ),
  )
  flush()
  const timer = setInterval(flush, FLUSH_INTERVAL_MS)
  timer.unref()
  let isClosed = false
  return {
    write(records) {
      if (isClosed) return
      for (const record of records) {
        if (!isStoredKind(record.kind)) continue
        const stored = record as StoredRecord
        const isSecretBearing = isRedacting && (stored.kind === 'request' || stored.kind === 'open')
        pending.push(
          Buffer.from(
            recordLine(isSecretBearing ? { ...stored, headers: redactHeaders(stored.headers) } : stored),
          ),
        )
        if (stored.kind === 'chunk') pending.push(stored.bytes)
      }
    },
    async close() {
      if (!isClosed) {
        isClosed = true
        clearInterval(timer)
        flush()
        closeSync(fd)
      }
      return bytesWritten
    },
  }
}
