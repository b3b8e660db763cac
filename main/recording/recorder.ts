import { closeSync, openSync, writeSync } from 'node:fs'
import { redactHeaders } from '../../shared/redact-headers.ts'
import {
  encodeHeader,
  encodeRecord,
  isStoredKind,
  RECORDING_FORMAT,
  RECORDING_VERSION,
  type AnnotationRecord,
} from '../../shared/recording/recording-format.ts'
import type { StreamRecord } from '../../shared/sse/stream-records.ts'
import type { StreamRequest } from '../../shared/sse/stream-request.ts'

/** How often buffered lines reach the OS: a killed recorder loses at most this much. */
export const FLUSH_INTERVAL_MS = 100

export type Recorder = {
  write(records: readonly (StreamRecord | AnnotationRecord)[]): void
  /** Flushes and closes the file. */
  close(): void
  readonly bytesWritten: number
}

const toBase64 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')

/**
 * Appends a session to a recording file as it happens. Lines are buffered and written every
 * 100 ms (and at close), so a crash or SIGKILL leaves a file that opens, missing at most the last
 * 100 ms; a half-written last line is detected and skipped on load.
 */
export function createRecorder(
  file: string,
  request: StreamRequest,
  options: { isKeepingSecrets?: boolean } = {},
): Recorder {
  const fd = openSync(file, 'w')
  const recorded: StreamRequest = options.isKeepingSecrets
    ? request
    : { ...request, headers: redactHeaders(request.headers ?? []) }
  let pending: string[] = []
  let bytesWritten = 0
  const flush = () => {
    if (pending.length === 0) return
    const text = pending.join('')
    pending = []
    bytesWritten += writeSync(fd, text)
  }
  pending.push(
    encodeHeader({
      format: RECORDING_FORMAT,
      version: RECORDING_VERSION,
      createdAtMs: Date.now(),
      request: recorded,
      meta: { recordedBy: 'sse-inspector' },
    }),
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
        // Secrets never reach the file unless the user opted in.
        const isRedacted = !options.isKeepingSecrets && (record.kind === 'request' || record.kind === 'open')
        pending.push(
          encodeRecord(isRedacted ? { ...record, headers: redactHeaders(record.headers) } : record, toBase64),
        )
      }
    },
    close() {
      if (isClosed) return
      isClosed = true
      clearInterval(timer)
      flush()
      closeSync(fd)
    },
    get bytesWritten() {
      return bytesWritten
    },
  }
}

/** Reads a recording file with Node's Buffer as the base64 decoder. */
export function fromBase64(b64: string): Uint8Array {
  const buffer = Buffer.from(b64, 'base64')
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}
