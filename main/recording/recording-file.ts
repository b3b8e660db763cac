import { readFileSync, statSync, writeFileSync } from 'node:fs'
import {
  decodeRecording,
  decodeRecordingLazily,
  encodeRecording,
  type LazyRecording,
  RecordingError,
  type LoadedRecording,
  type RecordingHeader,
  type StoredRecord,
} from '../../shared/recording/recording-format.ts'
import type { ChunkRecord, EventRecord, StreamRecord } from '../../shared/sse/stream-records.ts'

/**
 * Reads a recording file whole (MAX_LOADED_RECORDS at most); a missing or unreadable file, a damaged
 * header or one too long to hold is a RecordingError.
 */
export function readRecordingFile(file: string, maxRecords?: number): LoadedRecording {
  return decodeRecording(fileBytes(file), maxRecords)
}

/** Reads a recording file whose derived records are framed as they are iterated (any length). */
export function readRecordingFileLazily(file: string): LazyRecording {
  return decodeRecordingLazily(fileBytes(file))
}

function fileBytes(file: string): Uint8Array {
  let bytes: Buffer
  try {
    if (!statSync(file).isFile()) throw new Error('not a file')
    bytes = readFileSync(file)
  } catch (error) {
    throw new RecordingError(`cannot read ${file}: ${(error as Error).message}`)
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/** Writes a whole recording (imports). */
export function writeRecordingFile(
  file: string,
  header: RecordingHeader,
  records: readonly StoredRecord[],
): void {
  writeFileSync(file, encodeRecording(header, records))
}

export const isStreamRecord = (r: { kind: string }): r is StreamRecord => r.kind !== 'annotation'
export const eventsIn = (records: readonly { kind: string }[]) =>
  records.filter((r): r is EventRecord => r.kind === 'event')
export const chunksIn = (records: readonly { kind: string }[]) =>
  records.filter((r): r is ChunkRecord => r.kind === 'chunk')
