import { randomUUID } from 'node:crypto'
import type {
  ChunkBytes,
  ConnectionState,
  DemoRouteInfo,
  InspectorApi,
  Push,
  WireRecord,
} from '../../shared/api.ts'
import { openStream, type StreamHandle } from '../../shared/sse/open-stream.ts'
import { isFailureCause, type StreamRecord } from '../../shared/sse/stream-records.ts'
import type { StreamRequest } from '../../shared/sse/stream-request.ts'
import { nodeStreamDeps } from '../net/node-stream-deps.ts'
import { demoRoutes, startDemoServer, type DemoServer } from '../servers/demo-server.ts'
import { runChecks } from '../checks/check-runner.ts'
import { PushBatcher } from './push-batcher.ts'

type Connection = {
  handle: StreamHandle
  state: ConnectionState
  closeTransport: () => Promise<void>
  /** Chunk bytes by seq, for raw views (until recordings keep them on disk). */
  chunks: Map<number, { startByte: number; bytes: Uint8Array }>
}

const MAX_READ_BYTES = 16 * 1024 * 1024

/** The backend every face talks to: connections, batched pushes, the demo server. */
export type Backend = InspectorApi & { close(): Promise<void> }

/** Records as they cross to a face: chunk bytes become base64. */
export function toWireRecords(records: readonly StreamRecord[]): WireRecord[] {
  return records.map((record) => {
    if (record.kind !== 'chunk') return record
    const { bytes, ...rest } = record
    return {
      ...rest,
      bytesBase64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
      sizeBytes: bytes.length,
    }
  })
}

/** The state a record moves a connection to, if any. */
function stateAfter(record: StreamRecord): { state: ConnectionState; detail?: string } | undefined {
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

export function createBackend(): Backend {
  const connections = new Map<string, Connection>()
  const batcher = new PushBatcher()
  let demo: Promise<DemoServer> | undefined

  const push = (value: Push) => batcher.add(value)

  return {
    async connect(request: StreamRequest) {
      const connectionId = randomUUID()
      const { deps, close } = nodeStreamDeps(request.transport)
      const connection: Connection = {
        handle: undefined as unknown as StreamHandle,
        state: 'connecting',
        closeTransport: close,
        chunks: new Map(),
      }
      connections.set(connectionId, connection)
      connection.handle = openStream(request, deps, (records) => {
        push({ kind: 'records', connectionId, records: toWireRecords(records) })
        for (const record of records) {
          if (record.kind === 'chunk')
            connection.chunks.set(record.seq, { startByte: record.startByte, bytes: record.bytes })
          const next = stateAfter(record)
          if (next && (next.state !== connection.state || next.detail)) {
            connection.state = next.state
            push({ kind: 'state', connectionId, ...next })
          }
        }
      })
      return { connectionId }
    },
    async disconnect(connectionId) {
      connections.get(connectionId)?.handle.close()
    },
    async reconnect(connectionId, options = {}) {
      connections.get(connectionId)?.handle.reconnect(options)
    },
    async readChunks(connectionId, fromSeq, toSeq) {
      const chunks = connections.get(connectionId)?.chunks
      const out: ChunkBytes[] = []
      let total = 0
      for (let seq = fromSeq; chunks && seq <= toSeq && total < MAX_READ_BYTES; seq++) {
        const chunk = chunks.get(seq)
        if (!chunk) continue
        total += chunk.bytes.length
        const base64 = Buffer.from(
          chunk.bytes.buffer,
          chunk.bytes.byteOffset,
          chunk.bytes.byteLength,
        ).toString('base64')
        out.push({ seq, startByte: chunk.startByte, bytesBase64: base64 })
      }
      return out
    },
    async runChecks(request, options) {
      const runId = randomUUID()
      runChecks(request, { ...options, onProgress: (step) => push({ kind: 'check-progress', runId, step }) })
        .then((report) =>
          push({
            kind: 'check-done',
            runId,
            url: report.url,
            isReachable: report.isReachable,
            findings: report.findings,
          }),
        )
        .catch((error: unknown) =>
          push({
            kind: 'check-error',
            runId,
            message: error instanceof Error ? error.message : String(error),
          }),
        )
      return { runId }
    },
    async startDemo() {
      demo ??= startDemoServer()
      const server = await demo
      return { url: server.url, routes: demoRoutes() as readonly DemoRouteInfo[] }
    },
    subscribe(listener) {
      return batcher.subscribe(listener)
    },
    async close() {
      for (const connection of connections.values()) connection.handle.close()
      await Promise.all([...connections.values()].map((c) => c.handle.done.then(() => c.closeTransport())))
      batcher.close()
      if (demo) await (await demo).close()
    },
  }
}
