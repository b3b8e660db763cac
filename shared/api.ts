import type { Finding } from './checks/finding.ts'
import type { EventDiffPreview } from './recording/diff-recordings.ts'
import type { AnnotationRecord } from './recording/recording-format.ts'
import type { RecordingEdit, RecordingSummary } from './recording/library.ts'
import type { ChunkRecord, StreamRecord } from './sse/stream-records.ts'
import type { HeaderEntry, StreamRequest } from './sse/stream-request.ts'

/** Where a connection is, as the UI shows it. */
export type ConnectionState = 'connecting' | 'open' | 'retrying' | 'closed' | 'failed'

/** A chunk as pushed to a face: when, where and how big; its bytes are read on demand (readChunks). */
export type WireChunkRecord = Omit<ChunkRecord, 'bytes'> & { sizeBytes: number }

/** A chunk's bytes, base64 so every transport (IPC, HTTP, JSON) carries them. */
export type ChunkBytes = { seq: number; startByte: number; bytesBase64: string }

/** A record as pushed to the renderer (a user's note pinned to a moment included). */
export type WireRecord = Exclude<StreamRecord, ChunkRecord> | WireChunkRecord | AnnotationRecord

/** A demo endpoint the app offers as a one-click example. */
export type DemoRouteInfo = { path: string; description: string }

/** Options of a conformance run from the UI (the CLI's --duration, --idle, --origin). */
export type CheckRunOptions = { durationMs?: number; idleMs?: number; origin?: string }

/** Every message the backend pushes; always delivered in batches. */
export type Push =
  | {
      kind: 'records'
      connectionId: string
      records: readonly WireRecord[]
      /** When the backend sent this batch (wall clock ms): the face's lag is now minus this. */
      sentAtMs?: number
    }
  | { kind: 'state'; connectionId: string; state: ConnectionState; detail?: string }
  | { kind: 'replay'; connectionId: string; position: ReplayPosition }
  /**
   * A connection's recording stopped (a full disk) while the stream goes on: what came before is kept.
   * `message` names the file, `reason` is the error alone.
   */
  | { kind: 'recording-failed'; connectionId: string; message: string; reason: string }
  /** Forget this connection's records: they are about to be delivered again (a replay seeking back). */
  | { kind: 'reset'; connectionId: string }
  /**
   * The page fell behind a fast stream and these records were dropped on the way (the recording keeps
   * them): forget the rows held, count these, go on with what follows.
   */
  | {
      kind: 'skipped'
      connectionId: string
      /** Rows (records other than chunks), of which events; bytes of the chunks dropped. */
      rows: number
      events: number
      bytes: number
      /** The last event ID and retry hint among them, as the connection's header shows. */
      lastEventId?: string
      retryMs?: number
      /** Counted by a reload's read-back: older than a tab holds, not dropped to keep up. */
      isReadBack?: boolean
    }
  /**
   * A connection this page started before it was reloaded: its tab again. Its records so far follow
   * (read back from its recording, or what its replay played), then what comes live.
   */
  | {
      kind: 'rejoined'
      connectionId: string
      request: StreamRequest
      /** Set when it replays a recording (its name). */
      recordingName?: string
      isRecorded: boolean
      recordingFailure?: { message: string; reason: string }
      state: ConnectionState
      /** Since when (epoch ms): how long it has waited for a response, say. */
      stateSinceMs: number
      detail?: string
      replay?: ReplayPosition
      /** The seq of the last record read back: the records up to it are not new (not counted in the rate). */
      lastSeq: number
      /** The events it had delivered: what the read-back comes to. */
      events: number
    }
  /**
   * A check run this page started before it was reloaded: where it is (its steps so far; its outcome,
   * once done). `startedAtMs` is the backend's clock.
   */
  | {
      kind: 'check-rejoined'
      runId: string
      request: StreamRequest
      options: CheckRunOptions
      steps: readonly string[]
      startedAtMs: number
      outcome?: Extract<Push, { kind: 'check-done' | 'check-error' }>
    }
  /**
   * The first push of a push stream (browser face): which start of the server it is. Another than the
   * page met first means the server restarted, and what the page had running there is gone.
   */
  | { kind: 'hello'; serverId: string }
  /**
   * A recording file the app was asked to open (given to `serve`, double-clicked, dropped on the app's
   * icon), now in the library: the page opens it as the Library's Open does.
   */
  | { kind: 'open-recording'; recordingId: string; name: string }
  /** A recording served as a local SSE endpoint, as a reloaded page is told (the Library shows it so). */
  | { kind: 'served'; recordingId: string; url: string; isEachAttempt: boolean }
  /** A step of a check run: the index-th (a page given the run back has those before it). */
  | { kind: 'check-progress'; runId: string; step: string; index: number }
  | {
      kind: 'check-done'
      runId: string
      url: string
      isReachable: boolean
      findings: readonly Finding[]
      /** The observed response's headers (for comparing two endpoints). */
      responseHeaders: readonly HeaderEntry[]
      /** Stopped by the user: the findings cover what was seen until then. */
      isStoppedEarly?: boolean
    }
  | { kind: 'check-error'; runId: string; message: string }

/** The one contract between the renderer and the backend, whatever the face (Electron IPC, browser HTTP). */
/** What a recording exports as: the file itself, HAR 1.2, NDJSON events, or the raw stream. */
export type ExportFormat = 'recording' | 'har' | 'ndjson' | 'sse'
/** An export's file: its name, and where the desktop app saved it. */
export type ExportedFile = { fileName: string; path?: string }

/** How a recording opens in the viewer: all at once, or replayed at a speed (1 = as recorded). */
export type ReplaySpeed = number | 'instant'

/** What the viewer can do with a replay in progress. */
export type ReplayControl =
  | { action: 'pause' }
  | { action: 'resume' }
  | { action: 'step' }
  | { action: 'speed'; speed: ReplaySpeed }
  | { action: 'seek'; offsetMs: number }

/** Where a replay is: recorded ms from its first record, out of its duration. */
export type ReplayPosition = {
  offsetMs: number
  durationMs: number
  isPaused: boolean
  isDone: boolean
  speed: ReplaySpeed
}

export type InspectorApi = {
  /**
   * Opens a connection; it is recorded into the library unless `isRecording` is false. If the library
   * cannot be written, it connects all the same and `recordingError` says why it is not recorded.
   */
  connect(
    request: StreamRequest,
    options?: { isRecording?: boolean },
  ): Promise<{ connectionId: string; recordingError?: string }>
  disconnect(connectionId: string): Promise<void>
  /** Disconnects if live and forgets the connection (its tab closed): its chunk bytes are released; its recording stays. */
  closeConnection(connectionId: string): Promise<void>
  reconnect(connectionId: string, options?: { lastEventId?: string }): Promise<void>
  /** The bytes of a connection's chunks with seq in [fromSeq, toSeq] (at most 16 MiB per call). */
  readChunks(connectionId: string, fromSeq: number, toSeq: number): Promise<readonly ChunkBytes[]>
  /** Runs the conformance checks on a request; progress and the findings arrive as pushes. */
  runChecks(request: StreamRequest, options: CheckRunOptions): Promise<{ runId: string }>
  /** Stops a check run early: it reports on what it has seen (check-done), skipping the probes not begun. */
  stopChecks(runId: string): Promise<void>
  listRecordings(): Promise<readonly RecordingSummary[]>
  /** Where recordings are kept. */
  libraryLocation(): Promise<{ dir: string }>
  /** Keeps recordings in another folder from now on (created if missing); returns it. */
  setLibraryLocation(dir: string): Promise<{ dir: string }>
  editRecording(recordingId: string, edit: RecordingEdit): Promise<void>
  deleteRecording(recordingId: string): Promise<void>
  /** Shows a recording as a connection (its records pushed like live ones), at a speed or at once. */
  openRecording(
    recordingId: string,
    options: { speed: ReplaySpeed },
  ): Promise<{
    connectionId: string
    request: StreamRequest
    problems: readonly string[]
    /** Set when only the recording's start is shown (too long to hold whole): how much, and what reads it all. */
    notice?: string
  }>
  /**
   * Saves a recording in an export format: the backend names the file, the face moves the bytes (a
   * download in the browser, a save dialog in the desktop app; undefined when the user cancels it),
   * never through the page: a long recording's export is larger than a page can hold.
   */
  exportRecording(recordingId: string, format: ExportFormat): Promise<ExportedFile | undefined>
  /** Adds a file to the library: a recording, a HAR with EventSource messages, or raw SSE text. */
  importRecording(fileName: string, bytes: Uint8Array): Promise<RecordingSummary>
  /** Compares two recordings' events (the first entries of each list, and their totals); `ignored`: JSON fields left out (key names, or dot paths). */
  diffRecordings(
    recordingIdA: string,
    recordingIdB: string,
    ignored?: readonly string[],
  ): Promise<EventDiffPreview>
  /** Pauses, resumes, steps, changes the speed of, or seeks forward in a recording being replayed. */
  controlReplay(connectionId: string, control: ReplayControl): Promise<void>
  /** Pins a note to this moment of a connection: shown as a row, kept in its recording. */
  annotate(connectionId: string, text: string): Promise<void>
  /**
   * Serves a recording as a local SSE endpoint (the replay server); resolves with its URL. Its first
   * response to every request, or with isEachAttempt the k-th recorded attempt to the k-th request
   * (a fresh story each time this is called), then a 204.
   */
  serveRecording(
    recordingId: string,
    options: { speed?: number; isEachAttempt?: boolean },
  ): Promise<{ url: string }>
  /** Stops serving a recording (at every speed); clients connected to it are disconnected. */
  stopServingRecording(recordingId: string): Promise<void>
  /** Starts the built-in demo server (once) and lists its endpoints. */
  startDemo(): Promise<{ url: string; routes: readonly DemoRouteInfo[] }>
  subscribe(listener: (batch: readonly Push[]) => void): () => void
}

/** The request/response methods of the API (everything but subscribe), by name: what a transport carries. */
export type ApiMethod = Exclude<keyof InspectorApi, 'subscribe'>
// A record keyed by every method: adding one to InspectorApi without listing it here fails to compile.
const API_METHOD_NAMES: Record<ApiMethod, true> = {
  connect: true,
  disconnect: true,
  closeConnection: true,
  reconnect: true,
  readChunks: true,
  runChecks: true,
  stopChecks: true,
  startDemo: true,
  listRecordings: true,
  editRecording: true,
  deleteRecording: true,
  openRecording: true,
  serveRecording: true,
  stopServingRecording: true,
  exportRecording: true,
  importRecording: true,
  diffRecordings: true,
  controlReplay: true,
  annotate: true,
  libraryLocation: true,
  setLibraryLocation: true,
}
export const API_METHODS = Object.keys(API_METHOD_NAMES) as readonly ApiMethod[]
