import { createFramer, type Framer } from '../sse/framer.ts'
import type { ChunkRecord, StreamRecord } from '../sse/stream-records.ts'
import { DEFAULT_MAX_EVENT_BYTES, type StreamRequest } from '../sse/stream-request.ts'

/**
 * The recording file (docs/recording-format.md): NDJSON, one JSON object per line, append-only.
 * Line 1 is the header; then the wire capture in arrival order — request, open, chunk (bytes in
 * base64), reconnect, close, error — and user annotations. Events, comments, retries and warnings
 * are not stored: they are derived on load by the same framer, so a replay sees what the parser saw.
 */
export const RECORDING_FORMAT = 'sse-inspector-recording'
export const RECORDING_VERSION = 1

export type RecordingHeader = {
  format: typeof RECORDING_FORMAT
  version: number
  createdAtMs: number
  /** The request as recorded (secret header values redacted unless the user opted in). */
  request: StreamRequest
  /** Free-form: app version, notes, tags. */
  meta?: Record<string, unknown>
}

/** A note the user pinned to a moment of the recording. */
export type AnnotationRecord = {
  kind: 'annotation'
  seq: number
  atMs: number
  attempt: number
  text: string
}

/** What a recording stores on a line after the header. */
export type StoredRecord =
  | Exclude<StreamRecord, ChunkRecord | { kind: 'event' | 'retry' | 'comment' | 'warning' }>
  | (Omit<ChunkRecord, 'bytes'> & { b64: string })
  | AnnotationRecord

const DERIVED_KINDS = new Set(['event', 'retry', 'comment', 'warning'])

/** Whether a live record is stored (the others are derived again on load). */
export function isStoredKind(kind: string): boolean {
  return !DERIVED_KINDS.has(kind)
}

/** The header line. */
export function encodeHeader(header: RecordingHeader): string {
  return JSON.stringify(header) + '\n'
}

/** The line for one stored record; `toBase64` is the host's encoder (Buffer in Node, btoa in a page). */
export function encodeRecord(
  record: StreamRecord | AnnotationRecord,
  toBase64: (bytes: Uint8Array) => string,
): string {
  if (record.kind === 'chunk') {
    const { bytes, ...rest } = record
    return JSON.stringify({ ...rest, b64: toBase64(bytes) }) + '\n'
  }
  return JSON.stringify(record) + '\n'
}

/** A recording as read back: header, every record (stored and derived) in order, and what was wrong. */
export type LoadedRecording = {
  header: RecordingHeader
  records: (StreamRecord | AnnotationRecord)[]
  /** Damage found: a truncated last line (a crash mid-write) or a corrupt line where reading stopped. */
  problems: string[]
}

export class RecordingError extends Error {
  override name = 'RecordingError'
}

function parseHeader(line: string | undefined): RecordingHeader {
  if (line === undefined || line.trim() === '') throw new RecordingError('not a recording: the file is empty')
  let header: unknown
  try {
    header = JSON.parse(line)
  } catch {
    throw new RecordingError('not a recording, or its header is damaged: the first line is not JSON')
  }
  const h = header as Partial<RecordingHeader>
  if (h?.format !== RECORDING_FORMAT)
    throw new RecordingError('not an SSE Inspector recording (no "format" header)')
  if (typeof h.version !== 'number' || h.version > RECORDING_VERSION) {
    throw new RecordingError(
      `recording version ${String(h.version)} is newer than this app reads (${RECORDING_VERSION})`,
    )
  }
  if (typeof h.request?.url !== 'string') throw new RecordingError('the recording header has no request')
  return h as RecordingHeader
}

function isStoredRecord(value: unknown): value is StoredRecord {
  const r = value as { kind?: unknown; seq?: unknown; atMs?: unknown }
  return (
    typeof r?.kind === 'string' &&
    isStoredKind(r.kind) &&
    typeof r.seq === 'number' &&
    typeof r.atMs === 'number'
  )
}

/**
 * Reads a recording and derives its events. A damaged header is refused (RecordingError); damage
 * further on stops reading there, keeps everything before it, and is reported in `problems`.
 */
export function decodeRecording(text: string, fromBase64: (b64: string) => Uint8Array): LoadedRecording {
  const lines = text.split('\n')
  const header = parseHeader(lines[0])
  const problems: string[] = []
  const stored: StoredRecord[] = []
  const lastIndex = lines.length - 1 // text ends with '\n' when complete: the last element is ''
  for (let i = 1; i <= lastIndex; i++) {
    const line = lines[i]!
    if (line === '') continue
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      problems.push(
        i === lastIndex
          ? `the last line is incomplete (the recorder stopped mid-write); everything before it was read`
          : `line ${i + 1} is damaged; reading stopped there (${lastIndex - i} lines not read)`,
      )
      break
    }
    if (!isStoredRecord(value)) {
      problems.push(`line ${i + 1} is not a recording record; reading stopped there`)
      break
    }
    stored.push(value)
  }
  return { header, records: deriveRecords(header.request, stored, fromBase64), problems }
}

/** Re-runs the framer over the stored chunks, interleaving what it derives exactly as it did live. */
export function deriveRecords(
  request: StreamRequest,
  stored: readonly StoredRecord[],
  fromBase64: (b64: string) => Uint8Array,
): (StreamRecord | AnnotationRecord)[] {
  const out: (StreamRecord | AnnotationRecord)[] = []
  let framer: Framer | undefined
  let lastEventId = request.lastEventId ?? ''
  let seq = 0
  const nextSeq = () => seq++
  const pushChunk = (chunk: ChunkRecord) => {
    framer ??= createFramer({
      maxEventBytes: request.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES,
      lastEventId,
      nextSeq,
    })
    const batch: StreamRecord[] = []
    framer.push(chunk.bytes, { chunkSeq: chunk.seq, atMs: chunk.atMs, attempt: chunk.attempt }, batch)
    out.push(...batch)
  }
  const endFramer = (atMs: number, attempt: number) => {
    if (!framer) return
    lastEventId = framer.lastEventId
    if (!framer.isTooLarge) {
      const batch: StreamRecord[] = []
      framer.end({ chunkSeq: seq - 1, atMs, attempt }, batch)
      out.push(...batch)
    }
    framer = undefined
  }
  for (const record of stored) {
    if (record.kind === 'close') {
      // Live, a stream closed by the user ends without the end-of-stream probe.
      if (record.cause === 'aborted') framer = undefined
      else endFramer(record.atMs, record.attempt)
    }
    // The reconnect record names the Last-Event-ID the next attempt starts from (edited or not).
    if (record.kind === 'reconnect') lastEventId = record.lastEventId
    seq = record.seq + 1
    if (record.kind === 'chunk') {
      const { b64, ...rest } = record
      const chunk: ChunkRecord = { ...rest, bytes: fromBase64(b64) }
      out.push(chunk)
      pushChunk(chunk)
      continue
    }
    if (record.kind === 'error' && framer) {
      // Live, a body error is reported before the framer's end-of-stream records.
      out.push(record)
      endFramer(record.atMs, record.attempt)
      continue
    }
    out.push(record)
  }
  // A recording cut short (crash): frame what arrived, without inventing an end of stream.
  return out
}
