import { readFileSync, statSync, writeFileSync } from 'node:fs'
import {
  decodeRecording,
  encodeRecording,
  RecordingError,
  type LoadedRecording,
  type RecordingHeader,
  type StoredRecord,
} from '../../shared/recording/recording-format.ts'
import type { ChunkRecord, EventRecord, StreamRecord } from '../../shared/sse/stream-records.ts'

/** Reads a recording file; a missing or unreadable file, or a damaged header, is a RecordingError. */
export function readRecordingFile(file: string): LoadedRecording {
  let bytes: Buffer
  try {
    if (!statSync(file).isFile()) throw new Error('not a file')
    bytes = readFileSync(file)
  } catch (error) {
    throw new RecordingError(`cannot read ${file}: ${(error as Error).message}`)
  }
  return decodeRecording(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
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
