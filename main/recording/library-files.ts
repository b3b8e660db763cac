import { closeSync, openSync, readFileSync, readSync } from 'node:fs'
import { open } from 'node:fs/promises'
import type { ExportFormat } from '../../shared/api.ts'
import { InvalidInputError } from '../../shared/api-validation.ts'
import { formatBytes } from '../../shared/format-bytes.ts'
import {
  toHar,
  toNdjsonParts,
  harJsonParts,
  toSseParts,
  type ImportedSession,
  type ImportSource,
} from '../../shared/recording/export-formats.ts'
import { fromHar } from '../../shared/recording/har-import.ts'
import { fromSseText, startsWithResponseHead } from '../../shared/recording/sse-text-import.ts'
import {
  collectRecords,
  decodeRecordingLazily,
  encodeRecording,
  RECORDING_FORMAT,
  RECORDING_VERSION,
  type AnnotationRecord,
  type RecordingHeader,
  type StoredRecord,
} from '../../shared/recording/recording-format.ts'
import type { StreamRecord } from '../../shared/sse/stream-records.ts'
import type { RecordingSummary } from '../../shared/recording/library.ts'
import { redactedRecord, redactedRequest, redactedSession } from '../../shared/recording/redact-recording.ts'
import { FileWindow } from './file-window.ts'
import { readRecordingFileLazily } from './recording-file.ts'
import { RecordingTally } from './recording-tally.ts'

const EXPORTS: Record<ExportFormat, { extension: string; mimeType: string }> = {
  recording: { extension: 'sserec', mimeType: 'application/octet-stream' },
  har: { extension: 'har', mimeType: 'application/json' },
  ndjson: { extension: 'ndjson', mimeType: 'application/x-ndjson' },
  sse: { extension: 'sse', mimeType: 'text/event-stream' },
}

function appVersion(): string {
  return (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version
}

/** What a library recording exported in `format` is saved as. */
export function exportFileOf(name: string, format: ExportFormat): { fileName: string; mimeType: string } {
  const { extension, mimeType } = EXPORTS[format]
  const base = name.replace(/[^\w.-]+/g, '_').slice(0, 80) || 'recording'
  return { fileName: `${base}.${extension}`, mimeType }
}

/**
 * A library recording's file in one of the export formats, in parts as they are made (read when the
 * first is asked for): an export of a long recording is larger than one string or buffer should be.
 */
export function* exportRecordingParts(
  file: string,
  format: ExportFormat,
  maxRecords?: number,
): Generator<Uint8Array> {
  if (format === 'recording') return yield* fileParts(file)
  yield* exportParts(readRecordingFileLazily(file), format, { maxRecords })
}

const FILE_PART_BYTES = 4 * 1024 * 1024

function* fileParts(file: string): Generator<Uint8Array> {
  const fd = openSync(file, 'r')
  try {
    for (;;) {
      const part = new Uint8Array(FILE_PART_BYTES)
      const size = readSync(fd, part, 0, part.length, null)
      if (size === 0) return
      yield part.subarray(0, size)
    }
  } finally {
    closeSync(fd)
  }
}

/** Writes the parts to `file` one after another, never holding more than one. */
export async function writeParts(file: string, parts: Iterable<Uint8Array>): Promise<void> {
  // The first part before the file: an export that cannot be made (a HAR too long) leaves no empty file.
  const iterator = parts[Symbol.iterator]()
  try {
    let next = iterator.next()
    const handle = await open(file, 'w')
    try {
      for (; !next.done; next = iterator.next())
        for (let done = 0; done < next.value.length;)
          done += (await handle.write(next.value, done, next.value.length - done)).bytesWritten
    } finally {
      await handle.close()
    }
  } finally {
    iterator.return?.() // a write that failed stops the reading too: the recording's file is closed
  }
}

/**
 * A loaded recording as HAR (with the request's body), NDJSON events, or the stream's raw bytes. A HAR
 * carries headers, URLs and the body: their secrets are redacted (a recording made with --keep-secrets
 * has them) unless `isKeepingSecrets`.
 */
export function* exportParts(
  recording: {
    header: RecordingHeader
    records: Iterable<StreamRecord | AnnotationRecord>
    stored?: Iterable<StoredRecord>
  },
  format: Exclude<ExportFormat, 'recording'>,
  options: { isKeepingSecrets?: boolean; maxRecords?: number } = {},
): Generator<Uint8Array> {
  const { header, records } = recording
  // The raw stream is the stored chunks as they are: nothing to derive (and any length goes).
  if (format === 'sse') return yield* toSseParts(recording.stored ?? records)
  // A HAR is one document of every attempt: it needs the records loaded (up to MAX_LOADED_RECORDS).
  const loaded = (): readonly (StreamRecord | AnnotationRecord)[] =>
    Array.isArray(records) ? records : collectRecords(records, options.maxRecords)
  const har = () =>
    options.isKeepingSecrets
      ? toHar(loaded(), appVersion(), header.request)
      : toHar(loaded().map(redactedRecord), appVersion(), redactedRequest(header.request))
  const encoder = new TextEncoder()
  // In parts: a long recording's text as one string would pass V8's longest (~512 MiB).
  const texts = format === 'har' ? harJsonParts(har()) : toNdjsonParts(records)
  for (const text of texts) yield encoder.encode(text)
}

/**
 * A session from an imported file: a HAR (JSON) or raw SSE text (`url` is what it came from). Anything
 * else is refused with a reason: an image or an archive read as a stream would make an empty recording.
 */
export function importedSession(
  fileName: string,
  bytes: ImportSource,
  url = `file:///${encodeURIComponent(fileName)}`,
  options: { isKeepingSecrets?: boolean; maxHarBytes?: number } = {},
): ImportedSession {
  const session = sessionOf(fileName, bytes, url, options.maxHarBytes)
  // A browser's HAR holds the page's cookies and tokens: a recording keeps them only if asked to.
  return options.isKeepingSecrets ? session : redactedSession(session)
}

/** What is read to tell a HAR from SSE text: a long capture is never one string (V8's limit ~512 MiB). */
const SNIFF_BYTES = 1 << 20
/** The largest HAR read: JSON is parsed from one string. */
const MAX_HAR_BYTES = 400 * 1024 * 1024

function sessionOf(
  fileName: string,
  bytes: ImportSource,
  url: string,
  maxHarBytes = MAX_HAR_BYTES,
): ImportedSession {
  const head = new TextDecoder().decode(bytes.subarray(0, Math.min(bytes.length, SNIFF_BYTES)))
  if (bytes.length === 0) throw new InvalidInputError(`${fileName} is empty: there is nothing to import`)
  // Its first line is JSON too, but not a HAR: say what it is (it read as "not valid JSON").
  if (head.startsWith(`{"format":"${RECORDING_FORMAT}"`))
    throw new InvalidInputError(`${fileName} is already a recording: replay, export or open it as it is`)
  if (/^\s*\{/.test(head)) {
    if (bytes.length > maxHarBytes)
      throw new InvalidInputError(
        `${fileName} is a ${formatBytes(bytes.length)} JSON file: HAR files up to ${formatBytes(maxHarBytes)} are read (their JSON is parsed whole); import the stream's raw SSE text instead`,
      )
    let har: unknown
    try {
      har = JSON.parse(new TextDecoder().decode(bytes.subarray(0, bytes.length)))
    } catch (error) {
      throw new InvalidInputError(
        `${fileName} is not valid JSON, so not a HAR file: ${(error as Error).message}`,
      )
    }
    return fromHar(har)
  }
  const notSse = `${fileName} is not a recording, a HAR file or SSE text`
  if (bytes.subarray(0, Math.min(bytes.length, 4096)).includes(0))
    throw new InvalidInputError(`${notSse}: it is binary`)
  // Some line must be a field the spec knows (or a comment); other lines are ignored by every client.
  // (or it is what `curl -i` printed: a response head, whatever its body)
  if (!/^(?:(?:data|event|id|retry)(?::|\r?$)|:)/m.test(head) && !startsWithResponseHead(head))
    throw new InvalidInputError(`${notSse}: no line in it is a data, event, id or retry field or a comment`)
  return fromSseText(url, bytes, Date.now())
}

/**
 * A recording file as the app's library keeps it: one made with --keep-secrets is written again with
 * its secrets redacted (the file imported stays as it is); any other comes back untouched.
 */
function withoutSecrets(bytes: Uint8Array): Uint8Array {
  const loaded = decodeRecordingLazily(bytes) // its stored records are all that is written back
  const stored = [...loaded.stored]
  const redacted = redactedSession({ request: loaded.header.request, stored })
  const redactedStored = [...redacted.stored]
  const isSame =
    JSON.stringify(redacted.request) === JSON.stringify(loaded.header.request) &&
    // Records without secrets come back as they were; request and open records are compared by value.
    redactedStored.every((r, i) => r === stored[i] || JSON.stringify(r) === JSON.stringify(stored[i]))
  return isSame ? bytes : encodeRecording({ ...loaded.header, request: redacted.request }, redactedStored)
}

/**
 * An imported file (a recording, a HAR, or raw SSE text) on disk as a recording's header and records,
 * read as they are written: a file of gigabytes is never whole in memory. Secrets are redacted, as
 * importToRecording does. `close` lets go of the file once they are written.
 */
export function importedRecordingOf(
  fileName: string,
  path: string,
): { header: RecordingHeader; stored: Iterable<StoredRecord>; close: () => void } {
  const file = new FileWindow(path)
  let isHandedOver = false
  try {
    const head = new TextDecoder().decode(file.subarray(0, 200))
    if (head.includes(`"format":"${RECORDING_FORMAT}"`)) {
      file.close() // a recording is read a window at a time, afresh for each pass
      isHandedOver = true
      const loaded = readRecordingFileLazily(path)
      const redacted = redactedSession({ request: loaded.header.request, stored: loaded.stored })
      return { header: { ...loaded.header, request: redacted.request }, stored: redacted.stored, close() {} }
    }
    const session = importedSession(fileName, file)
    isHandedOver = true
    return {
      header: {
        format: RECORDING_FORMAT,
        version: RECORDING_VERSION,
        createdAtMs: Date.now(),
        request: session.request,
        meta: { importedFrom: fileName },
      },
      stored: session.stored,
      close: () => file.close(),
    }
  } finally {
    if (!isHandedOver) file.close()
  }
}

/** Turns an imported file (a recording, a HAR, or raw SSE text) into recording bytes and a summary. */
export function importToRecording(
  fileName: string,
  bytes: Uint8Array,
): { bytes: Uint8Array; summary: Omit<RecordingSummary, 'id' | 'sizeBytes' | 'notes' | 'tags'> } {
  const head = new TextDecoder().decode(bytes.subarray(0, 200))
  let recording: Uint8Array
  if (head.includes(`"format":"${RECORDING_FORMAT}"`)) recording = withoutSecrets(bytes)
  else {
    const session = importedSession(fileName, bytes)
    recording = encodeRecording(
      {
        format: RECORDING_FORMAT,
        version: RECORDING_VERSION,
        createdAtMs: Date.now(),
        request: session.request,
        meta: { importedFrom: fileName },
      },
      session.stored,
    )
  }
  const loaded = decodeRecordingLazily(recording)
  const tally = new RecordingTally()
  for (const record of loaded.records) tally.add(record)
  const { lastCloseCause, ...figures } = tally.figures(Date.now())
  return {
    bytes: recording,
    summary: {
      name: fileName,
      url: loaded.header.request.url,
      method: loaded.header.request.method ?? 'GET',
      ...figures,
      outcome: lastCloseCause ?? 'imported',
    },
  }
}
