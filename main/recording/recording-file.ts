import { readFileSync, statSync } from 'node:fs'
import {
  decodeRecording,
  RecordingError,
  type LoadedRecording,
} from '../../shared/recording/recording-format.ts'
import type { ChunkRecord, EventRecord, StreamRecord } from '../../shared/sse/stream-records.ts'
import { fromBase64 } from './recorder.ts'

/** Reads a recording file; a missing or unreadable file, or a damaged header, is a RecordingError. */
export function readRecordingFile(file: string): LoadedRecording {
  let text: string
  try {
    if (!statSync(file).isFile()) throw new Error('not a file')
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new RecordingError(`cannot read ${file}: ${(error as Error).message}`)
  }
  return decodeRecording(text, fromBase64)
}

export const isStreamRecord = (r: { kind: string }): r is StreamRecord => r.kind !== 'annotation'
export const eventsIn = (records: readonly { kind: string }[]) =>
  records.filter((r): r is EventRecord => r.kind === 'event')
export const chunksIn = (records: readonly { kind: string }[]) =>
  records.filter((r): r is ChunkRecord => r.kind === 'chunk')
