import { concatBytes } from '../concat-bytes.ts'
import { formatBytes } from '../format-bytes.ts'
import { createFramer, type Framer, type SeqCounter } from '../sse/framer.ts'
import { refusalOf } from '../sse/open-stream.ts'
import { createStormWatch } from '../sse/reconnect-storm.ts'
import type { ChunkRecord, StreamRecord } from '../sse/stream-records.ts'
import { DEFAULT_MAX_EVENT_BYTES, type StreamRequest } from '../sse/stream-request.ts'
import { hasHeaderShape, hasStoredShape } from './stored-record-shape.ts'

/**
 * The recording file (docs/recording-format.md): append-only, one record per line of JSON, and after a
 * chunk's line exactly `size` raw bytes (the chunk as received: no encoding, so recording costs little).
 * Line 1 is the header; then the wire capture in arrival order — request, open, chunk, reconnect,
 * close, error — and user annotations. Events, comments, retries and warnings are not stored: they are
 * derived on load by the same framer, so a replay sees exactly what the parser saw.
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

/** What a recording stores (a chunk's bytes follow its line raw). */
export type StoredRecord =
  Exclude<StreamRecord, { kind: 'event' | 'retry' | 'comment' | 'warning' }> | AnnotationRecord

const DERIVED_KINDS = new Set(['event', 'retry', 'comment', 'warning'])

/** Whether a live record is stored (the others are derived again on load). */
export function isStoredKind(kind: string): boolean {
  return !DERIVED_KINDS.has(kind)
}

/** The header line. */
export function encodeHeader(header: RecordingHeader): string {
  return JSON.stringify(header) + '\n'
}

/** The line that introduces a stored record; for a chunk, its raw bytes follow. */
export function recordLine(record: StoredRecord): string {
  if (record.kind === 'chunk') {
    // The hot path while recording: numbers only, so a template is exact JSON and cheaper.
    return `{"kind":"chunk","seq":${record.seq},"atMs":${record.atMs},"attempt":${record.attempt},"startByte":${record.startByte},"size":${record.bytes.length}}\n`
  }
  return JSON.stringify(record) + '\n'
}

/** A whole recording as bytes (for imports and tests; the live recorder streams the same parts). */
export function encodeRecording(header: RecordingHeader, records: Iterable<StoredRecord>): Uint8Array {
  return concatBytes([...encodeRecordingParts(header, records)])
}

/** encodeRecording's parts, one after another: a recording of gigabytes is more than one buffer should be. */
export function* encodeRecordingParts(
  header: RecordingHeader,
  records: Iterable<StoredRecord>,
): Generator<Uint8Array> {
  const encoder = new TextEncoder()
  yield encoder.encode(encodeHeader(header))
  for (const record of records) {
    yield encoder.encode(recordLine(record))
    if (record.kind === 'chunk') yield record.bytes
  }
}

/** A recording as read back: header, every record (stored and derived) in order, and what was wrong. */
export type LoadedRecording = {
  header: RecordingHeader
  records: (StreamRecord | AnnotationRecord)[]
  /** Damage found: a truncated last line (a crash mid-write) or a corrupt line where reading stopped. */
  problems: string[]
}

/** Said where a recording's records end before its stream did: no final close (its recorder was killed). */
export const RECORDING_ENDS_EARLY =
  'the recording ends here, before the stream did (its recorder stopped: it was killed, or the app was closed or crashed)'

/** Where a replay of a recording that is still being made ends. */
export const RECORDING_STILL_LIVE =
  'the recording ends here for now: it is still being recorded (open it again for what came since)'

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
  if (typeof h.version !== 'number')
    throw new RecordingError('not a recording, or its header is damaged: it has no format version')
  if (h.version > RECORDING_VERSION) {
    throw new RecordingError(
      `recording version ${String(h.version)} is newer than this app reads (${RECORDING_VERSION})`,
    )
  }
  if (typeof h.request?.url !== 'string') throw new RecordingError('the recording header has no request')
  if (!hasHeaderShape(h))
    throw new RecordingError(
      "not a recording, or its header is damaged: its request's fields are not as recorded",
    )
  return h as RecordingHeader
}

type StoredLine =
  Omit<Exclude<StoredRecord, ChunkRecord>, never> | (Omit<ChunkRecord, 'bytes'> & { size: number })

function isStoredLine(value: unknown): value is StoredLine {
  const r = value as { kind?: unknown; size?: unknown }
  if (typeof r?.kind !== 'string' || !isStoredKind(r.kind) || !hasStoredShape(value)) return false
  return r.kind !== 'chunk' || (typeof r.size === 'number' && Number.isInteger(r.size) && r.size >= 0)
}

const LF = 10
/** How every record line starts: where reading goes on after damage. */
const RECORD_START = new TextEncoder().encode('{"kind":"')

/**
 * The bytes a recording is read from, front to back: a Uint8Array (all in memory), or a file read a
 * window at a time (the FileWindow of main/recording), which may drop what lies before `release`.
 */
export type RecordingBytes = {
  readonly length: number
  at(position: number): number | undefined
  indexOf(byte: number, from: number): number
  subarray(start: number, end: number): Uint8Array
  /** Nothing before `position` is asked for again. */
  release?(position: number): void
  /** The reading is over (a file's descriptor closes). */
  close?(): void
}

const isRecordStart = (bytes: RecordingBytes, position: number): boolean =>
  RECORD_START.every((byte, i) => bytes.at(position + i) === byte)

/** A record read at a position: the record, where its line ends, and where the next record starts. */
type ReadRecord = { record: StoredRecord; lineEnd: number; next: number }

/** Where a file cut short ends: inside a record's line, or inside a chunk's bytes. */
type Cut = 'cut-line' | 'cut-chunk'

/** The record whose line starts at `position`, where the file ends inside it (Cut), or undefined if damaged. */
function readRecordAt(
  bytes: RecordingBytes,
  position: number,
  decoder: TextDecoder,
): ReadRecord | Cut | undefined {
  const lineEnd = bytes.indexOf(LF, position)
  if (lineEnd === -1) return 'cut-line'
  let value: unknown
  try {
    value = JSON.parse(decoder.decode(bytes.subarray(position, lineEnd)))
  } catch {
    return undefined
  }
  if (!isStoredLine(value)) return undefined
  if (value.kind !== 'chunk') return { record: value as StoredRecord, lineEnd, next: lineEnd + 1 }
  const { size, ...rest } = value
  const next = lineEnd + 1 + size
  if (next > bytes.length) return 'cut-chunk'
  return { record: { ...rest, bytes: bytes.subarray(lineEnd + 1, next) }, lineEnd, next }
}

const isFollowedByRecord = (bytes: RecordingBytes, read: ReadRecord): boolean =>
  read.next === bytes.length || isRecordStart(bytes, read.next)

/**
 * The first intact record whose line starts after `from`: it starts like a record, reads as one, comes
 * later in the numbering than the last good record, and is followed by another record or the end.
 */
function nextIntactRecord(
  bytes: RecordingBytes,
  from: number,
  lastSeq: number,
  decoder: TextDecoder,
): (ReadRecord & { start: number }) | undefined {
  for (let lf = bytes.indexOf(LF, from); lf !== -1; lf = bytes.indexOf(LF, lf + 1)) {
    if (!isRecordStart(bytes, lf + 1)) continue
    const read = readRecordAt(bytes, lf + 1, decoder)
    if (typeof read !== 'object' || !isFollowedByRecord(bytes, read)) continue
    if (read.record.kind === 'annotation' || read.record.seq > lastSeq) return { ...read, start: lf + 1 }
  }
  return undefined
}

/**
 * Reads a recording and derives its events. A damaged header is refused (RecordingError). Damage
 * further on is skipped: reading goes on at the next intact record, and `problems` says what was
 * skipped where; a file cut short (a crash mid-write) keeps everything before the cut.
 * Chunk bytes are views into `bytes` (no copies).
 */
export function decodeRecording(bytes: Uint8Array, maxRecords = MAX_LOADED_RECORDS): LoadedRecording {
  const { header, stored, readOnAfterDamage, problems } = decodeStored(bytes)
  return { header, records: deriveRecords(header.request, stored, readOnAfterDamage, maxRecords), problems }
}

/**
 * A recording whose derived records (events, retries, comments, warnings) are framed as they are read,
 * each time its `records` are iterated: a recording of any length goes through in bounded memory (an
 * export, the CLI's printing), where a LoadedRecording of 12M events needs more heap than there is.
 */
export type LazyRecording = {
  header: RecordingHeader
  records: Iterable<StreamRecord | AnnotationRecord>
  /** Damage the latest reading (a pass over `records` or `stored`) found so far. */
  problems: string[]
  /** The records as stored (chunks, lifecycle, notes): what a raw-stream export needs. */
  stored: Iterable<StoredRecord>
}

/**
 * A recording read lazily from its bytes, or from bytes `open` gives afresh for each pass (a file read
 * a window at a time, closed when the pass ends): then the recording is never in memory whole.
 */
export function decodeRecordingLazily(source: Uint8Array | (() => RecordingBytes)): LazyRecording {
  const open: () => RecordingBytes = typeof source === 'function' ? source : () => source
  const first = open()
  let header: RecordingHeader
  try {
    header = readHeader(first).header
  } finally {
    first.close?.()
  }
  const problems: string[] = []
  const stored = { [Symbol.iterator]: () => readPass(open, problems, new Set()) }
  const records = {
    [Symbol.iterator]: () => {
      const readOnAfterDamage = new Set<StoredRecord>()
      return deriveRecordsLazily(
        header.request,
        readPass(open, problems, readOnAfterDamage),
        readOnAfterDamage,
      )
    },
  }
  return { header, records, problems, stored }
}

/** One pass over the stored records of bytes opened for it. */
function* readPass(
  open: () => RecordingBytes,
  problems: string[],
  readOnAfterDamage: Set<StoredRecord>,
): Generator<StoredRecord> {
  const bytes = open()
  try {
    problems.length = 0
    yield* readStored(bytes, readHeader(bytes).start, problems, readOnAfterDamage)
  } finally {
    bytes.close?.()
  }
}

/** The header (refused with a RecordingError if damaged) and where the records after it start. */
function readHeader(bytes: RecordingBytes): { header: RecordingHeader; start: number } {
  const headerEnd = firstLineEnd(bytes, MAX_HEADER_BYTES)
  if (headerEnd === -1 && bytes.length > MAX_HEADER_BYTES)
    throw new RecordingError(
      `not a recording, or its header is damaged: its first line runs past ${formatBytes(MAX_HEADER_BYTES)}`,
    )
  const line = new TextDecoder().decode(bytes.subarray(0, headerEnd === -1 ? bytes.length : headerEnd))
  return { header: parseHeader(line), start: headerEnd === -1 ? bytes.length : headerEnd + 1 }
}

/**
 * The longest header read (its request's body included): a file with no line break this early is no
 * recording, and is refused at once (2.4 GB without one was read whole, then failed in V8's words).
 */
const MAX_HEADER_BYTES = 64 * 1024 * 1024

/** Where the first line ends within `limit` bytes, or -1: looked for a MiB at a time (a file is read no further). */
function firstLineEnd(bytes: RecordingBytes, limit: number): number {
  const end = Math.min(bytes.length, limit)
  for (let at = 0; at < end; at += 1024 * 1024) {
    const found = bytes.subarray(at, Math.min(end, at + 1024 * 1024)).indexOf(LF)
    if (found !== -1) return at + found
  }
  return -1
}

/** The stored records of a recording's bytes (damage skipped and told), before anything is derived. */
function decodeStored(bytes: Uint8Array): {
  header: RecordingHeader
  stored: StoredRecord[]
  readOnAfterDamage: ReadonlySet<StoredRecord>
  problems: string[]
} {
  const { header, start } = readHeader(bytes)
  const problems: string[] = []
  const readOnAfterDamage = new Set<StoredRecord>()
  return {
    header,
    stored: [...readStored(bytes, start, problems, readOnAfterDamage)],
    readOnAfterDamage,
    problems,
  }
}

/**
 * The stored records from `position` on, one at a time. Damage is skipped: reading goes on at the next
 * intact record (added to `readOnAfterDamage`), and `problems` says what was skipped where.
 */
function* readStored(
  bytes: RecordingBytes,
  position: number,
  problems: string[],
  readOnAfterDamage: Set<StoredRecord>,
): Generator<StoredRecord> {
  const decoder = new TextDecoder()
  let records = 0
  let lastSeq = -1
  while (position < bytes.length) {
    bytes.release?.(position)
    const read = readRecordAt(bytes, position, decoder)
    // A chunk whose bytes run over an intact record has a damaged size (junk after it is skipped next).
    const isDamagedSize =
      typeof read === 'object' &&
      read.record.kind === 'chunk' &&
      !isFollowedByRecord(bytes, read) &&
      (nextIntactRecord(bytes, read.lineEnd, lastSeq, decoder)?.start ?? Infinity) < read.next
    if (typeof read === 'object' && !isDamagedSize) {
      records++
      if (read.record.kind !== 'annotation') lastSeq = read.record.seq
      position = read.next
      yield read.record
      continue
    }
    const resume = nextIntactRecord(bytes, position, lastSeq, decoder)
    if (!resume) {
      problems.push(
        read === 'cut-line' || read === 'cut-chunk'
          ? `the last ${read === 'cut-chunk' ? 'chunk' : 'record'} is incomplete (the recorder stopped mid-write); everything before it was read`
          : `record ${records + 1} is damaged and nothing after it reads as a record; everything before it was read`,
      )
      return
    }
    problems.push(
      `${resume.start - position} damaged bytes at byte ${position} (after record ${records}) were skipped; reading went on at the next intact record`,
    )
    readOnAfterDamage.add(resume.record)
    records++
    if (resume.record.kind !== 'annotation') lastSeq = resume.record.seq
    position = resume.next
    yield resume.record
  }
}

/**
 * Records a recording is loaded with at most (stored and derived): ~300 bytes of heap each, so 3M
 * take ~0.9 GB, and a comparison (two at once) or two tabs opening one stay well under a 4 GB heap.
 * Past it, loading fails with a reason instead of the process at its heap limit (a 1.2 GB recording
 * of 12M events did); exports and the CLI's printing read any length (decodeRecordingLazily).
 */
export const MAX_LOADED_RECORDS = 3_000_000

/** Re-runs the framer over the stored chunks, interleaving what it derives exactly as it did live. */
export function deriveRecords(
  request: StreamRequest,
  stored: Iterable<StoredRecord>,
  readOnAfterDamage: ReadonlySet<StoredRecord> = new Set(),
  maxRecords = MAX_LOADED_RECORDS,
): (StreamRecord | AnnotationRecord)[] {
  return collectRecords(deriveRecordsLazily(request, stored, readOnAfterDamage), maxRecords)
}

/** Why a recording is not loaded whole: more than `maxRecords` (or, if given, `maxBodyBytes` of its stream). */
export function tooLongToLoad(maxRecords: number, maxBodyBytes?: number): RecordingError {
  const bytes = maxBodyBytes === undefined ? '' : ` or ${formatBytes(maxBodyBytes)} of stream`
  return new RecordingError(
    `the recording holds more than ${maxRecords.toLocaleString('en')} records (events, chunks…)${bytes}: too many to load at once; ` +
      'its exports as NDJSON or SSE text, and sse-inspector replay (printing or serving), read a recording of any length',
  )
}

/** All of `records` in an array, or a RecordingError saying why not when they are more than `maxRecords`. */
export function collectRecords<R>(records: Iterable<R>, maxRecords = MAX_LOADED_RECORDS): R[] {
  const out: R[] = []
  for (const record of records) {
    if (out.length === maxRecords) throw tooLongToLoad(maxRecords)
    out.push(record)
  }
  return out
}

/** deriveRecords, one record at a time as the framer makes them. */
export function* deriveRecordsLazily(
  request: StreamRequest,
  stored: Iterable<StoredRecord>,
  readOnAfterDamage: ReadonlySet<StoredRecord> = new Set(),
): Generator<StreamRecord | AnnotationRecord> {
  let framer: Framer | undefined
  let isRefused = false // the attempt's response opened no stream: its body chunks are not SSE
  let lastEventId = request.lastEventId ?? ''
  const seqs: SeqCounter = { next: 0 }
  const stormWarningAfter = createStormWatch()
  const pushChunk = (chunk: ChunkRecord) => {
    framer ??= createFramer({
      maxEventBytes: request.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES,
      lastEventId,
      seqs,
      startByte: chunk.startByte, // 0 unless reading goes on past damage, mid-body
    })
    const batch: StreamRecord[] = []
    framer.push(chunk.bytes, { chunkSeq: chunk.seq, atMs: chunk.atMs, attempt: chunk.attempt }, batch)
    return batch
  }
  const endFramer = (atMs: number, attempt: number): StreamRecord[] => {
    if (!framer) return []
    lastEventId = framer.lastEventId
    const batch: StreamRecord[] = []
    if (!framer.isTooLarge) framer.end({ chunkSeq: seqs.next - 1, atMs, attempt }, batch)
    framer = undefined
    return batch
  }
  for (let record of stored) {
    if (readOnAfterDamage.has(record) && framer) {
      // Bytes are missing before this record: the block they cut is lost; the body goes on framed afresh.
      lastEventId = framer.lastEventId
      framer = undefined
    }
    if (record.kind === 'close') {
      // Live, a stream closed by the user ends without the end-of-stream probe.
      if (record.cause === 'aborted') framer = undefined
      else yield* endFramer(record.atMs, record.attempt)
    }
    // The reconnect record names the Last-Event-ID the next attempt starts from (edited or not).
    if (record.kind === 'reconnect') lastEventId = record.lastEventId
    // Annotations (seq -1) take no part in the numbering of the records around them. A live recording
    // leaves room in its numbering for what its chunks frame; an import (HAR, SSE text) numbers its
    // records one after another: those after a chunk move up past its events, so seqs only grow, as live.
    if (record.kind !== 'annotation') {
      if (record.seq < seqs.next) record = { ...record, seq: seqs.next }
      seqs.next = record.seq + 1
    }
    if (record.kind === 'open') isRefused = refusalOf(record) !== undefined
    if (record.kind === 'chunk') {
      yield record
      if (!isRefused) yield* pushChunk(record) // a chunk may frame a million events
      continue
    }
    if (record.kind === 'error' && framer) {
      // Live, a body error is reported before the framer's end-of-stream records.
      yield record
      yield* endFramer(record.atMs, record.attempt)
      continue
    }
    yield record
    if (record.kind === 'reconnect') {
      // Not stored: warned again as live, from the same reconnect records (same seq, same time).
      const storm = stormWarningAfter(record)
      if (storm) yield { ...storm, seq: seqs.next++ }
    }
  }
  // A recording cut short (crash): frame what arrived, without inventing an end of stream.
}
