import { closeSync, openSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs'
import {
  decodeRecording,
  decodeRecordingLazily,
  encodeRecordingParts,
  type LazyRecording,
  RecordingError,
  type LoadedRecording,
  MAX_LOADED_RECORDS,
  type AnnotationRecord,
  type RecordingHeader,
  type StoredRecord,
} from '../../shared/recording/recording-format.ts'
import { formatBytes } from '../../shared/format-bytes.ts'
import { forEachInTurns } from '../runtime/in-turns.ts'
import { FileWindow } from './file-window.ts'
import type { ChunkRecord, EventRecord, StreamRecord } from '../../shared/sse/stream-records.ts'

/**
 * Reads a recording file whole (MAX_LOADED_RECORDS at most); a missing or unreadable file, a damaged
 * header or one too long to hold is a RecordingError.
 */
export function readRecordingFile(
  file: string,
  maxRecords?: number,
  maxBytes = MAX_LOADED_FILE_BYTES,
): LoadedRecording {
  const size = sizeOf(file)
  if (size > maxBytes)
    throw new RecordingError(
      `${file} is ${formatBytes(size)}: too large to load at once (${formatBytes(maxBytes)} at most: its events take as much memory again); ` +
        'its exports as NDJSON or SSE text, and sse-inspector replay (printing or serving), read a recording of any size',
    )
  return decodeRecording(fileBytes(file), maxRecords)
}

/**
 * The largest recording file loaded whole (open, diff, HAR): its events' text takes about as much
 * heap again as the file (twice for text that is not ASCII), and the heap is ~4 GB.
 */
export const MAX_LOADED_FILE_BYTES = 2 * 1024 * 1024 * 1024

/**
 * A recording's start, as much as a whole load holds (`maxRecords`; chunks of `maxBodyBytes`), read a
 * window at a time: a recording too long to hold whole is shown in part instead of refused. `isWhole`
 * says whether that is all of it. Read in turns with the process's other work (it takes seconds).
 */
export async function readRecordingStart(
  file: string,
  maxRecords = MAX_LOADED_RECORDS,
  maxBodyBytes = MAX_LOADED_FILE_BYTES,
): Promise<LoadedRecording & { isWhole: boolean }> {
  const lazy = readRecordingFileLazily(file)
  const records: (StreamRecord | AnnotationRecord)[] = []
  let bodyBytes = 0
  let isWhole = true
  await forEachInTurns(lazy.records, (record) => {
    if (record.kind === 'chunk') bodyBytes += record.bytes.length
    if (records.length === maxRecords || bodyBytes > maxBodyBytes) return (isWhole = false)
    records.push(record)
  })
  return { header: lazy.header, records, problems: [...lazy.problems], isWhole }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size
  } catch (error) {
    throw new RecordingError(`cannot read ${file}: ${(error as Error).message}`)
  }
}

/**
 * Reads a recording file whose records are read and framed as they are iterated, the file a window at a
 * time (any length, in bounded memory). Its problems are known as a pass finds them.
 */
export function readRecordingFileLazily(file: string, windowBytes?: number): LazyRecording {
  return decodeRecordingLazily(() => {
    try {
      return new FileWindow(file, windowBytes)
    } catch (error) {
      throw new RecordingError(`cannot read ${file}: ${(error as Error).message}`)
    }
  })
}

function fileBytes(file: string): Uint8Array {
  try {
    return readWholeFile(file)
  } catch (error) {
    throw new RecordingError(`cannot read ${file}: ${(error as Error).message}`)
  }
}

/** What one read asks for: reads of 2 GiB or more fail (readFileSync refuses such files whole). */
const READ_PIECE_BYTES = 1024 * 1024 * 1024

/**
 * A file's bytes in one buffer, read a piece at a time: a recording of a long firehose (or its SSE
 * text) passes 2 GiB, which readFileSync refuses. Pieces as small as `pieceBytes` (tests) give the same.
 */
export function readWholeFile(file: string, pieceBytes = READ_PIECE_BYTES): Uint8Array {
  const stats = statSync(file)
  if (!stats.isFile()) throw new Error('not a file')
  const bytes = Buffer.allocUnsafe(stats.size) // every byte is read over (a 2.5 GB fill costs ~0.5 s)
  const fd = openSync(file, 'r')
  try {
    let filled = 0
    while (filled < bytes.length) {
      const read = readSync(fd, bytes, filled, Math.min(pieceBytes, bytes.length - filled), filled)
      if (read === 0) break // the file shrank since stat: what was there
      filled += read
    }
    return new Uint8Array(bytes.buffer, bytes.byteOffset, filled)
  } finally {
    closeSync(fd)
  }
}

/** What the writer gathers before a write: a write per record part cost a system call each. */
const WRITE_BYTES = 1024 * 1024

/**
 * Writes a whole recording (imports) to a file beside it renamed into place at the end: a write that
 * fails (a full disk) leaves no partial recording and an earlier file untouched. Records are encoded
 * in turns with the process's other work and written a MiB at a time: in the app's backend, importing
 * gigabytes does not hold the pushes, the connections and the web server until it is done.
 */
export async function writeRecordingFile(
  file: string,
  header: RecordingHeader,
  records: Iterable<StoredRecord>,
): Promise<void> {
  const partial = `${file}.part`
  const fd = openSync(partial, 'w')
  try {
    try {
      let pending: Uint8Array[] = []
      let pendingBytes = 0
      const flush = () => {
        const block = Buffer.concat(pending, pendingBytes)
        for (let done = 0; done < block.length;) done += writeSync(fd, block, done, block.length - done)
        pending = []
        pendingBytes = 0
      }
      await forEachInTurns(encodeRecordingParts(header, records), (part) => {
        pending.push(part)
        pendingBytes += part.length
        if (pendingBytes >= WRITE_BYTES) flush()
      })
      flush()
    } finally {
      closeSync(fd)
    }
    renameSync(partial, file)
  } catch (error) {
    rmSync(partial, { force: true })
    throw error
  }
}

export const isStreamRecord = (r: { kind: string }): r is StreamRecord => r.kind !== 'annotation'
export const eventsIn = (records: readonly { kind: string }[]) =>
  records.filter((r): r is EventRecord => r.kind === 'event')
export const chunksIn = (records: readonly { kind: string }[]) =>
  records.filter((r): r is ChunkRecord => r.kind === 'chunk')
