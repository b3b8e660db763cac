import type { ChunkRecord, StreamRecord } from './sse/stream-records.ts'
import type { StreamRequest } from './sse/stream-request.ts'

/** Where a connection is, as the UI shows it. */
export type ConnectionState = 'connecting' | 'open' | 'retrying' | 'closed' | 'failed'

/** A chunk as it crosses to a face: bytes as base64, so every transport (IPC, HTTP, JSON) carries it. */
export type WireChunkRecord = Omit<ChunkRecord, 'bytes'> & { bytesBase64: string; sizeBytes: number }

/** A record as pushed to the renderer. */
export type WireRecord = Exclude<StreamRecord, ChunkRecord> | WireChunkRecord

/** A demo endpoint the app offers as a one-click example. */
export type DemoRouteInfo = { path: string; description: string }

/** Every message the backend pushes; always delivered in batches. */
export type Push =
  | { kind: 'records'; connectionId: string; records: readonly WireRecord[] }
  | { kind: 'state'; connectionId: string; state: ConnectionState; detail?: string }

/** The one contract between the renderer and the backend, whatever the face (Electron IPC, browser HTTP). */
export type InspectorApi = {
  connect(request: StreamRequest): Promise<{ connectionId: string }>
  disconnect(connectionId: string): Promise<void>
  reconnect(connectionId: string, options?: { lastEventId?: string }): Promise<void>
  /** Starts the built-in demo server (once) and lists its endpoints. */
  startDemo(): Promise<{ url: string; routes: readonly DemoRouteInfo[] }>
  subscribe(listener: (batch: readonly Push[]) => void): () => void
}

/** The request/response methods of the API (everything but subscribe), by name: what a transport carries. */
export type ApiMethod = Exclude<keyof InspectorApi, 'subscribe'>
export const API_METHODS: readonly ApiMethod[] = ['connect', 'disconnect', 'reconnect', 'startDemo']
