import type { ImportedSession } from '../../shared/recording/export-formats.ts'
import {
  decodeRecording,
  encodeRecording,
  RECORDING_FORMAT,
  RECORDING_VERSION,
  type LoadedRecording,
  type RecordingHeader,
} from '../../shared/recording/recording-format.ts'
import type { StreamRecord } from '../../shared/sse/stream-records.ts'

type OpenRecord = Extract<StreamRecord, { kind: 'open' }>
type EventRecord = Extract<StreamRecord, { kind: 'event' }>

/** A 200 text/event-stream response head, for analyses that start from records. */
export function openRecord(overrides: Partial<OpenRecord> = {}): OpenRecord {
  return {
    kind: 'open',
    seq: 0,
    atMs: 0,
    attempt: 0,
    status: 200,
    statusText: 'OK',
    headers: [['content-type', 'text/event-stream']],
    httpVersion: '1.1',
    url: 'http://x/',
    isRedirected: false,
    timeToHeadersMs: 1,
    ...overrides,
  }
}

/** An event record (type message, data "x", its id if given), for analyses that start from records. */
export function eventRecord(overrides: Partial<EventRecord> = {}): EventRecord {
  return {
    kind: 'event',
    seq: 1,
    atMs: 0,
    attempt: 0,
    type: 'message',
    data: 'x',
    lastEventId: overrides.id ?? '',
    startByte: 0,
    endByte: 1,
    firstChunkSeq: 0,
    lastChunkSeq: 0,
    ...overrides,
  }
}

/** An imported session written as a recording file's bytes and read back, as the app does with an import. */
export function readBackSession(session: ImportedSession): LoadedRecording {
  const header: RecordingHeader = {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    createdAtMs: 0,
    request: session.request,
  }
  return decodeRecording(encodeRecording(header, session.stored))
}
