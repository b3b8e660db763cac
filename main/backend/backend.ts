import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import type {
  ChunkBytes,
  ConnectionState,
  DemoRouteInfo,
  ExportFormat,
  InspectorApi,
  Push,
  WireRecord,
} from '../../shared/api.ts'
import type { RecordingSummary } from '../../shared/recording/library.ts'
import { InvalidInputError } from '../../shared/api-validation.ts'
import { openStream, type StreamHandle } from '../../shared/sse/open-stream.ts'
import { isFailureCause, type StreamRecord } from '../../shared/sse/stream-records.ts'
import type { StreamRequest } from '../../shared/sse/stream-request.ts'
import { runChecks } from '../checks/check-runner.ts'
import { nodeStreamDeps } from '../net/node-stream-deps.ts'
import { DIFF_PREVIEW_LIMIT, previewOfDiff } from '../../shared/recording/diff-recordings.ts'
import { compareRecordingFiles } from '../recording/compare-recordings.ts'
import {
  exportFileOf,
  exportRecordingParts,
  importToRecording,
  importedRecordingOf,
  writeParts,
} from '../recording/library-files.ts'
import {
  MAX_LOADED_RECORDS,
  RECORDING_ENDS_EARLY,
  RECORDING_STILL_LIVE,
  RecordingError,
  type AnnotationRecord,
} from '../../shared/recording/recording-format.ts'
import {
  readRecordingFileLazily,
  writeRecordingFile,
  readRecordingStart,
} from '../recording/recording-file.ts'
import { defaultLibraryDir, SessionLibrary, type LiveRecording } from '../recording/session-library.ts'
import { demoRoutes, startDemoServer, type DemoServer } from '../servers/demo-server.ts'
import { startReplayServer, type ReplayServer } from '../servers/replay-server.ts'
import { CheckRunStories } from './check-run-stories.ts'
import { ChunkStore } from './chunk-store.ts'
import { PushBatcher } from './push-batcher.ts'
import type { PageWork } from './page-rejoin.ts'
import { readBackPushes, recordedUpTo } from './read-back.ts'
import { RecordingPlayer } from './recording-player.ts'
import { isSameFile } from '../runtime/same-file.ts'

type Connection = {
  /** What it asked for (the replayed recording's request, for a replay). */
  request: StreamRequest
  /** Set when the connection replays a recording: the recording's name. */
  recordingName?: string
  /** Stops the live stream or the replay. */
  stop: () => void
  reconnect?: StreamHandle['reconnect']
  state: ConnectionState
  /** What the last state change said (why it closed, failed or retries), and when it came (epoch ms). */
  detail?: string
  stateSinceMs: number
  /** The seq of the latest stream record delivered (-1: none yet), and the events delivered. */
  lastSeq: number
  events: number
  /** Set when the connection replays a recording. */
  player?: RecordingPlayer
  /** Closes the connection's transport (live connections): its pools, once the tab is closed. */
  closeTransport?: () => Promise<void>
  /** Set when the connection is being recorded. */
  recording?: LiveRecording
  /** Why its recording stopped while the stream went on (a full disk). */
  recordingFailure?: { message: string; reason: string }
  /** The connection attempt of the latest record (for notes pinned now). */
  attempt: number
}

const MAX_READ_BYTES = 16 * 1024 * 1024

const toBase64 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')

/** The backend every face talks to: connections, recordings, checks, batched pushes, demo server. */
export type Backend = Omit<InspectorApi, 'subscribe'> & {
  /** A recording's export: its file name and type, and its bytes in parts as they are made. */
  exportFile(
    recordingId: string,
    format: ExportFormat,
  ): { fileName: string; mimeType: string; parts: Iterable<Uint8Array> }
  /**
   * Imports a file on this machine into the library, read and written as it goes (any size): the
   * browser face's upload once it is on disk, a file dropped on the desktop app.
   */
  importFile(fileName: string, path: string): Promise<RecordingSummary>
  /** Writes a recording's export to `path` (the desktop app's save dialog chose it). */
  saveExport(recordingId: string, format: ExportFormat, path: string): Promise<void>
  /**
   * Pushes to a face. `pressureOf` says how far the face's page is behind on a connection (undefined:
   * not that page's connection): a replay waits while its page is behind, as a file can.
   */
  subscribe(listener: (batch: readonly Push[]) => void, pressureOf?: PressureOf): () => void
  /**
   * A connection as a reloaded page shows it again: its tab (with the seq of the latest record
   * delivered) and its records up to that one, in batches (read back from its recording, or what its replay
   * played; none for a connection not recorded). Undefined for a connection closed or unknown.
   */
  rejoin(connectionId: string): RejoinedConnection | undefined
  /** A check run as a reloaded page shows it again: its steps so far, its outcome once done (the latest runs kept). */
  rejoinCheckRun(runId: string): Extract<Push, { kind: 'check-rejoined' }> | undefined
  /** Where a recording is served (the latest of its servers, if several speeds), for a reloaded page. */
  servedOf(recordingId: string): Promise<Extract<Push, { kind: 'served' }> | undefined>
  /** Everything the backend has for a page, oldest first: connections not closed, check runs kept, recordings served (the desktop app's one window). */
  work(): PageWork
  /** Stops every connection, replay and check run (the page that started them is gone); the backend stays up. */
  stopAll(): void
  close(): Promise<void>
}

export type RejoinedConnection = {
  /** Its tab; `lastSeq`, the latest record delivered, is where the read-back ends. */
  tab: Extract<Push, { kind: 'rejoined' }>
  /** Its records so far as pushes, in batches (a long story's oldest counted, not sent). */
  pushes: AsyncIterable<Push[]>
}

/**
 * How full a connection's share of a page's outbox is, if the connection is that page's: 1 where its
 * oldest records start being dropped (PushOutbox.pressureOf).
 */
export type PressureOf = (connectionId: string) => number | undefined

/** A replay delivers no more while what waits for its page is past this (a fifth of what the outbox holds). */
const REPLAY_PRESSURE_MAX = 0.2

export type BackendOptions = {
  libraryDir?: string
  /** The chunk bytes kept for the raw views, all connections together (default 256 MiB). */
  chunkBudgetBytes?: number
  /** Records a recording is opened, served or compared with at most (default MAX_LOADED_RECORDS). */
  maxLoadedRecords?: number
}

/** Records as they cross to a face: chunks without their bytes (read on demand with readChunks). */
export function toWireRecords(records: readonly (StreamRecord | AnnotationRecord)[]): WireRecord[] {
  return records.map((record) => {
    if (record.kind !== 'chunk') return record
    const { bytes, ...rest } = record
    return { ...rest, sizeBytes: bytes.length }
  })
}

/** The state a record moves a connection to, if any. */
function stateAfter(
  record: StreamRecord | AnnotationRecord,
): { state: ConnectionState; detail?: string } | undefined {
  switch (record.kind) {
    case 'request':
      return { state: 'connecting' }
    case 'open':
      return record.status === 200 ? { state: 'open' } : undefined
    case 'close':
      if (record.willReconnect) return { state: 'retrying', detail: record.message }
      return { state: isFailureCause(record.cause) ? 'failed' : 'closed', detail: record.message }
    default:
      return undefined
  }
}

/** Closes a replay server, if it started at all (one that failed to has nothing to close). */
async function closeServer(server: Promise<ReplayServer>): Promise<void> {
  await (await server.catch(() => undefined))?.close()
}

export function createBackend(options: BackendOptions = {}): Backend {
  const connections = new Map<string, Connection>()
  const batcher = new PushBatcher()
  const chunkStore = new ChunkStore(options.chunkBudgetBytes)
  /** Each live connection's transport (its undici pools), closed with it or with the backend. */
  const closers = new Set<() => Promise<void>>()
  const replayServers = new Map<string, Promise<ReplayServer>>()
  /** Check runs in progress, to stop early. */
  const checkRuns = new Map<string, AbortController>()
  /** What each check run said: a reloaded page is given its own back. */
  const checkRunStories = new CheckRunStories()
  let library: SessionLibrary | undefined
  let demo: Promise<DemoServer> | undefined
  /**
   * One library per folder for the backend's life: switching folders and back finds the recordings
   * still being written there live (a second instance took them for interrupted, and the two wrote
   * over each other's index).
   */
  const librariesByDir = new Map<string, SessionLibrary>()
  const libraryAt = (dir: string): SessionLibrary => {
    const key = resolve(dir)
    let found = librariesByDir.get(key)
    if (!found) librariesByDir.set(key, (found = new SessionLibrary(key)))
    return found
  }

  const libraryOf = () => (library ??= libraryAt(options.libraryDir ?? defaultLibraryDir()))
  const push = (value: Push) => batcher.add(value)
  const pressures = new Set<PressureOf>()
  /** Whether every page showing a connection can take more of it (a replay waits until they can). */
  const isKeepingUp = (connectionId: string): boolean => {
    for (const pressureOf of pressures)
      if ((pressureOf(connectionId) ?? 0) > REPLAY_PRESSURE_MAX) return false
    return true
  }

  /** Pushes records of a connection and the state changes they imply; keeps chunk bytes for raw views. */
  const deliver = (
    connectionId: string,
    connection: Connection,
    records: readonly (StreamRecord | AnnotationRecord)[],
  ) => {
    push({ kind: 'records', connectionId, records: toWireRecords(records) })
    for (const record of records) {
      connection.attempt = record.attempt
      if (record.kind !== 'annotation') connection.lastSeq = record.seq
      if (record.kind === 'event') connection.events++
      // A closed connection's last records (a stop takes a moment) keep no bytes.
      if (record.kind === 'chunk' && connections.has(connectionId))
        chunkStore.add(connectionId, record.seq, record.startByte, record.bytes)
      const next = stateAfter(record)
      if (next && (next.state !== connection.state || next.detail))
        changeState(connectionId, connection, next.state, next.detail)
    }
  }
  const changeState = (
    connectionId: string,
    connection: Connection,
    state: ConnectionState,
    detail: string | undefined,
  ) => {
    if (state !== connection.state) connection.stateSinceMs = Date.now()
    connection.state = state
    connection.detail = detail
    push({ kind: 'state', connectionId, state, ...(detail === undefined ? {} : { detail }) })
  }

  const stopAll = () => {
    for (const connection of connections.values()) connection.stop()
    for (const run of checkRuns.values()) run.abort()
  }

  const recordingFile = (recordingId: string) => {
    const file = libraryOf().fileOf(recordingId)
    if (!file) throw new InvalidInputError('no such recording')
    return file
  }
  const maxLoadedRecords = options.maxLoadedRecords ?? MAX_LOADED_RECORDS
  /** The Library's row for a recording. */
  const summaryOf = (recordingId: string) =>
    libraryOf()
      .list()
      .find((r) => r.id === recordingId)
  /** Closes every replay server of a recording (any speed, each attempt or not). */
  const stopServing = async (recordingId: string): Promise<void> => {
    for (const [key, server] of replayServers) {
      if (!key.startsWith(`${recordingId}@`)) continue
      replayServers.delete(key)
      await closeServer(server)
    }
  }
  const exportFile = (recordingId: string, format: ExportFormat) => {
    const file = recordingFile(recordingId)
    const summary = summaryOf(recordingId)
    // A HAR is made whole: one too long is refused here, with the reason, not as a failed download.
    if (format === 'har' && summary && summary.events >= maxLoadedRecords)
      throw new InvalidInputError(
        `${summary.events.toLocaleString('en')} events are too many for a HAR file (one document, made whole: ${maxLoadedRecords.toLocaleString('en')} records at most); export NDJSON or SSE text instead`,
      )
    return {
      ...exportFileOf(summary?.name ?? 'recording', format),
      parts: exportRecordingParts(file, format, maxLoadedRecords),
    }
  }

  return {
    async connect(request: StreamRequest, connectOptions = {}) {
      const connectionId = randomUUID()
      const { deps, close } = nodeStreamDeps(request.transport)
      closers.add(close)
      // A library that cannot be written must not keep the user from inspecting: connect, and say so.
      let recording: ReturnType<SessionLibrary['startRecording']> | undefined
      let recordingError: string | undefined
      if (connectOptions.isRecording !== false) {
        try {
          recording = libraryOf().startRecording(connectionId, request, (message, reason) => {
            const failed = connections.get(connectionId)
            if (failed) failed.recordingFailure = { message, reason }
            push({ kind: 'recording-failed', connectionId, message, reason })
          })
        } catch (error) {
          recordingError = `Not recorded: the library folder cannot be written (${error instanceof Error ? error.message : String(error)}). Choose another folder in the Library, or switch recording off under Options.`
        }
      }
      const connection: Connection = {
        request,
        stop: () => {},
        state: 'connecting',
        stateSinceMs: Date.now(),
        lastSeq: -1,
        events: 0,
        recording,
        attempt: 0,
        closeTransport: () => {
          closers.delete(close)
          return close()
        },
      }
      connections.set(connectionId, connection)
      const handle = openStream(request, deps, (records) => {
        recording?.write(records)
        deliver(connectionId, connection, records)
      })
      connection.stop = () => handle.close()
      connection.reconnect = (reconnectOptions) => handle.reconnect(reconnectOptions)
      // A stream reconnected after it ended gets a new done promise; the recording ends with the first.
      void handle.done.then((outcome) => recording?.finish(outcome.cause)).catch(() => {}) // never unhandled
      return recordingError ? { connectionId, recordingError } : { connectionId }
    },
    async annotate(connectionId, text) {
      const connection = connections.get(connectionId)
      if (!connection) throw new InvalidInputError('no such connection')
      const note: AnnotationRecord = {
        kind: 'annotation',
        seq: -1,
        atMs: Date.now(),
        attempt: connection.attempt,
        text,
      }
      connection.recording?.write([note])
      push({ kind: 'records', connectionId, records: [note] })
    },
    async controlReplay(connectionId, control) {
      connections.get(connectionId)?.player?.control(control)
    },
    async disconnect(connectionId) {
      connections.get(connectionId)?.stop()
    },
    async closeConnection(connectionId) {
      const connection = connections.get(connectionId)
      connection?.stop()
      connections.delete(connectionId)
      chunkStore.forget(connectionId)
      await connection?.closeTransport?.() // after the stop: the aborted request ends first
    },
    async reconnect(connectionId, reconnectOptions = {}) {
      connections.get(connectionId)?.reconnect?.(reconnectOptions)
    },
    async readChunks(connectionId, fromSeq, toSeq): Promise<ChunkBytes[]> {
      return chunkStore.range(connectionId, fromSeq, toSeq, MAX_READ_BYTES).map((chunk) => ({
        seq: chunk.seq,
        startByte: chunk.startByte,
        bytesBase64: toBase64(chunk.bytes),
      }))
    },
    async runChecks(request, checkOptions) {
      const runId = randomUUID()
      const controller = new AbortController()
      checkRuns.set(runId, controller)
      const story = checkRunStories.begin(runId, request, checkOptions)
      const end = (outcome: Extract<Push, { kind: 'check-done' | 'check-error' }>) => {
        story.end(outcome)
        push(outcome)
      }
      runChecks(request, {
        ...checkOptions,
        signal: controller.signal,
        onProgress: (step) => push({ kind: 'check-progress', runId, step, index: story.step(step) }),
      })
        .then((report) =>
          end({
            kind: 'check-done',
            runId,
            url: report.url,
            isReachable: report.isReachable,
            findings: report.findings,
            responseHeaders: report.run.records.find((r) => r.kind === 'open')?.headers ?? [],
            isStoppedEarly: report.run.isStoppedEarly,
          }),
        )
        .catch((error: unknown) =>
          end({
            kind: 'check-error',
            runId,
            message: error instanceof Error ? error.message : String(error),
          }),
        )
        .finally(() => checkRuns.delete(runId))
      return { runId }
    },
    async stopChecks(runId) {
      checkRuns.get(runId)?.abort() // a run already done has nothing to stop
    },
    async listRecordings() {
      return libraryOf().list()
    },
    async libraryLocation() {
      return { dir: libraryOf().dir }
    },
    async setLibraryLocation(dir) {
      const expanded = dir.startsWith('~') ? join(homedir(), dir.slice(1)) : dir
      try {
        library = libraryAt(expanded)
      } catch (error) {
        throw new InvalidInputError(
          `cannot use ${expanded}: ${error instanceof Error ? error.message : String(error)}`,
        )
      }
      return { dir: library.dir }
    },
    async editRecording(recordingId, edit) {
      libraryOf().edit(recordingId, edit)
    },
    async deleteRecording(recordingId) {
      libraryOf().remove(recordingId)
      // Its replay servers go with it: each client reads the file afresh, and it is gone.
      await stopServing(recordingId)
    },
    async openRecording(recordingId, { speed }) {
      // One still being recorded (here or by another app) ends where its file did when it was read.
      const isLive = summaryOf(recordingId)?.outcome === 'recording'
      // A recording too long to hold whole is shown in part, saying so.
      const loaded = await readRecordingStart(recordingFile(recordingId), maxLoadedRecords)
      const records = loaded.records
      const connectionId = randomUUID()
      const connection: Connection = {
        request: loaded.header.request,
        recordingName: summaryOf(recordingId)?.name ?? 'recording',
        stop: () => {},
        state: 'connecting',
        stateSinceMs: Date.now(),
        lastSeq: -1,
        events: 0,
        attempt: 0,
      }
      connections.set(connectionId, connection)
      const player = new RecordingPlayer(
        records,
        speed,
        (batch) => deliver(connectionId, connection, batch),
        (position) => {
          push({ kind: 'replay', connectionId, position })
          // Records that stop before the stream's end (shown in part, or a recorder that stopped) end here.
          if (!position.isDone || connection.state === 'closed' || connection.state === 'failed') return
          const detail = !loaded.isWhole
            ? 'the part of the recording shown ends here; the recording goes on'
            : isLive
              ? RECORDING_STILL_LIVE
              : RECORDING_ENDS_EARLY
          changeState(connectionId, connection, 'closed', detail)
        },
        () => {
          chunkStore.forget(connectionId)
          push({ kind: 'reset', connectionId })
        },
        () => isKeepingUp(connectionId),
      )
      connection.stop = () => player.stop()
      connection.player = player
      return {
        connectionId,
        request: loaded.header.request,
        problems: loaded.problems,
        ...(loaded.isWhole
          ? {}
          : {
              notice: partNotice(records, summaryOf(recordingId)?.events),
            }),
      }
    },
    async serveRecording(recordingId, { speed, isEachAttempt = false }) {
      const key = `${recordingId}@${speed ?? 1}${isEachAttempt ? '@each' : ''}`
      let server = replayServers.get(key)
      if (server && isEachAttempt) {
        // Each attempt in turn keeps count of the requests: serving again starts the story over.
        replayServers.delete(key)
        await closeServer(server)
        server = undefined
      }
      if (!server) {
        // Read as the server goes through it once (events kept as marks): a recording of any length.
        server = startReplayServer(readRecordingFileLazily(recordingFile(recordingId)), {
          speed,
          isEachAttempt,
        })
        replayServers.set(key, server)
        // One that could not start is forgotten: asked again, it tries again, and stopping has nothing to stop.
        server.catch(() => replayServers.delete(key))
      }
      return { url: (await server).url }
    },
    stopServingRecording: stopServing,
    async exportRecording(recordingId, format) {
      // Names the file; a missing recording is said here, before a download starts (its parts are lazy).
      return { fileName: exportFile(recordingId, format).fileName }
    },
    exportFile,
    async saveExport(recordingId, format, path) {
      // Saved over the recording itself, the export would destroy what it is made from.
      if (isSameFile(recordingFile(recordingId), path))
        throw new InvalidInputError(`${path} is the recording itself: save the export under another name`)
      await writeParts(path, exportFile(recordingId, format).parts)
    },
    async importRecording(fileName, bytes) {
      let imported
      try {
        imported = importToRecording(fileName, bytes)
      } catch (error) {
        throw new InvalidInputError(
          `cannot import ${fileName}: ${error instanceof Error ? error.message : String(error)}`,
        )
      }
      const id = randomUUID()
      libraryOf().add(id, imported.bytes, imported.summary)
      return summaryOf(id)!
    },
    async importFile(fileName, path) {
      const cannot = (error: unknown) => `cannot import ${fileName}: ${(error as Error).message}`
      let source
      try {
        source = importedRecordingOf(fileName, path)
      } catch (error) {
        throw new InvalidInputError(cannot(error)) // not a recording, a HAR or SSE text; not a file
      }
      const id = randomUUID()
      try {
        await libraryOf().addWritten(id, fileName, (file) =>
          writeRecordingFile(file, source.header, source.stored),
        )
      } catch (error) {
        throw new Error(cannot(error), { cause: error }) // a full disk, a recording that cannot be read on
      } finally {
        source.close()
      }
      return summaryOf(id)!
    },
    async diffRecordings(a, b, ignored = []) {
      const [aFile, bFile] = [recordingFile(a), recordingFile(b)]
      // A recording still being made here is compared as far as it has come, not as far as it is written.
      for (const { recording } of connections.values())
        if (recording && (recording.file === aFile || recording.file === bFile)) await recording.flush()
      const { diff, totals } = await compareRecordingFiles(aFile, bFile, {
        ignored,
        listLimit: DIFF_PREVIEW_LIMIT,
        maxEvents: maxLoadedRecords,
      }).catch((error: unknown) => {
        // The files by their names in the Library, not their paths in its folder.
        if (!(error instanceof RecordingError)) throw error
        const nameOf = (id: string) => `"${summaryOf(id)?.name ?? 'recording'}"`
        throw new RecordingError(error.message.replace(aFile, nameOf(a)).replace(bFile, nameOf(b)))
      })
      return previewOfDiff(diff, DIFF_PREVIEW_LIMIT, totals)
    },
    async startDemo() {
      demo ??= startDemoServer()
      const server = await demo
      return { url: server.url, routes: demoRoutes() as readonly DemoRouteInfo[] }
    },
    subscribe(listener, pressureOf) {
      const unsubscribe = batcher.subscribe(listener)
      if (pressureOf) pressures.add(pressureOf)
      return () => {
        unsubscribe()
        if (pressureOf) pressures.delete(pressureOf)
      }
    },
    work: () => ({
      connectionIds: [...connections.keys()],
      checkRunIds: checkRunStories.ids(),
      servedRecordingIds: [...new Set([...replayServers.keys()].map((key) => key.split('@')[0]!))],
    }),
    async servedOf(recordingId) {
      const key = [...replayServers.keys()].findLast((k) => k.startsWith(`${recordingId}@`))
      const server = key === undefined ? undefined : await replayServers.get(key)?.catch(() => undefined)
      return server && { kind: 'served', recordingId, url: server.url, isEachAttempt: key!.endsWith('@each') }
    },
    rejoinCheckRun: (runId) => checkRunStories.storyOf(runId),
    rejoin(connectionId) {
      const connection = connections.get(connectionId)
      if (!connection) return undefined
      const {
        request,
        recordingName,
        recording,
        recordingFailure,
        state,
        stateSinceMs,
        detail,
        player,
        lastSeq,
      } = connection
      // Its recording may be gone: deleted from the Library once the stream ended.
      const recorded = recording && existsSync(recording.file) ? recording : undefined
      const tab: RejoinedConnection['tab'] = {
        kind: 'rejoined',
        connectionId,
        request,
        lastSeq,
        events: connection.events,
        isRecorded: player !== undefined || (recorded !== undefined && !recordingFailure),
        state,
        stateSinceMs,
        ...(recordingName === undefined ? {} : { recordingName }),
        ...(recordingFailure === undefined ? {} : { recordingFailure }),
        ...(detail === undefined ? {} : { detail }),
        ...(player ? { replay: player.position } : {}),
      }
      let records: ReturnType<typeof recordedUpTo> | Iterable<StreamRecord | AnnotationRecord> = []
      if (player) records = player.played()
      else if (recorded && recordingFailure) {
        const gap = { ...recordingFailure, attempt: connection.attempt, eventsSince: connection.events }
        records = recordedUpTo(recorded, lastSeq).then((upTo) => untilRecordingFailed(upTo, gap))
      } else if (recorded) records = recordedUpTo(recorded, lastSeq)
      return { tab, pushes: readBackPushes(connectionId, records, connection.events) }
    },
    stopAll,
    async close() {
      stopAll()
      await Promise.all([...closers].map((close) => close()))
      batcher.close()
      if (demo) await (await demo).close()
      for (const server of replayServers.values()) await closeServer(server)
    },
  }
}

/**
 * A recording that stopped mid-stream (a full disk), read back after a reload: its records, then a note
 * where it stops saying what is not there (the events from then to the reload; the stream goes on).
 */
function* untilRecordingFailed(
  records: Iterable<StreamRecord | AnnotationRecord>,
  failure: { reason: string; attempt: number; eventsSince: number },
): Generator<StreamRecord | AnnotationRecord> {
  let events = 0
  let atMs = 0
  for (const record of records) {
    if (record.kind === 'event') events++
    atMs = record.atMs
    yield record
  }
  const missing = failure.eventsSince - events
  yield {
    kind: 'annotation',
    seq: -1,
    atMs,
    attempt: failure.attempt,
    text: `Not recorded past here (${failure.reason}): ${missing.toLocaleString('en')} ${missing === 1 ? 'event' : 'events'} from here to the reload of this page are not shown. Those after it are.`,
  }
}

/** What a recording shown in part says: how much of it is shown, and what reads all of it. */
function partNotice(
  records: readonly { kind: string; atMs: number }[],
  totalEvents: number | undefined,
): string {
  const shown = records.filter((r) => r.kind === 'event').length.toLocaleString('en')
  const of = totalEvents === undefined ? '' : ` of ${totalEvents.toLocaleString('en')}`
  const seconds = records.length > 1 ? ((records.at(-1)!.atMs - records[0]!.atMs) / 1000).toFixed(1) : '0'
  return (
    `This recording is longer than the viewer holds at once: its first ${shown}${of} events (${seconds} s) are shown. ` +
    'For all of it, export it as NDJSON or SSE text, or serve it (Serve)'
  )
}
