import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { LoadedRecording } from '../../shared/recording/recording-format.ts'
import type { ChunkRecord, EventRecord, OpenRecord } from '../../shared/sse/stream-records.ts'
import { lastEventIdOf } from './demo-server.ts'

/**
 * Serves a recording as a live SSE endpoint: the first attempt's status, headers, bytes, chunk
 * boundaries and timing (scaled by speed), resuming after a Last-Event-ID, with faults on request:
 * ?disconnectAfter=N &splitBytes=1 &delayMs=D &jitterMs=J &stallAfter=N&stallMs=T &drop=ID &duplicate=ID
 */
export type ReplayServer = { url: string; port: number; close: () => Promise<void> }
export type ReplayOptions = { port?: number; speed?: number; isLooping?: boolean }

const SPLIT_SPACING_MS = 0.2

/** A run of body bytes to write at `atMs` (recorded time, scaled by speed) plus `extraMs` (faults, not scaled). */
type Piece = { bytes: Uint8Array; atMs: number; extraMs: number }

// Headers that described the original transfer, not the (decoded) bytes we replay.
const DROPPED_HEADERS = new Set([
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'date',
])

type Body = { open: OpenRecord; chunks: ChunkRecord[]; events: EventRecord[] }

function firstAttempt(recording: LoadedRecording): Body {
  const open = recording.records.find((r): r is OpenRecord => r.kind === 'open' && r.attempt === 0)
  if (!open) throw new Error('the recording has no response to replay')
  const chunks = recording.records.filter((r): r is ChunkRecord => r.kind === 'chunk' && r.attempt === 0)
  const events = recording.records.filter((r): r is EventRecord => r.kind === 'event' && r.attempt === 0)
  return { open, chunks, events }
}

/** The writes for one connection: the recorded chunks, cut and edited by resume point and faults. */
export function planPieces(body: Body, query: URLSearchParams, lastEventId: string | undefined): Piece[] {
  const numberParam = (name: string) => {
    const value = Number(query.get(name))
    return query.has(name) && Number.isFinite(value) && value >= 0 ? value : undefined
  }
  let events = body.events
  let resumeByte = 0
  if (lastEventId !== undefined) {
    const index = events.findIndex((e) => e.id === lastEventId)
    if (index !== -1) {
      resumeByte = events[index]!.endByte
      events = events.slice(index + 1)
    }
  }
  // Byte ranges to leave out or to send twice.
  const drop = events.filter((e) => e.id !== undefined && e.id === query.get('drop'))
  const duplicate = events.find((e) => e.id !== undefined && e.id === query.get('duplicate'))
  const disconnectAfter = numberParam('disconnectAfter')
  const cutByte =
    disconnectAfter !== undefined ? (events[disconnectAfter - 1]?.endByte ?? Infinity) : Infinity
  const stallAfter = numberParam('stallAfter')
  const stallMs = numberParam('stallMs') ?? 0
  const stallByte = stallAfter !== undefined ? (events[stallAfter - 1]?.endByte ?? Infinity) : Infinity
  const delayMs = numberParam('delayMs') ?? 0
  const jitterMs = numberParam('jitterMs') ?? 0
  const isSplit = query.get('splitBytes') === '1'

  const originMs = body.open.atMs
  const baseMs = body.chunks.find((c) => c.startByte + c.bytes.length > resumeByte)?.atMs ?? originMs
  const shiftMs = resumeByte > 0 ? baseMs - originMs : 0
  const pieces: Piece[] = []
  let lastAtMs = 0
  let extraMs = 0
  const emit = (bytes: Uint8Array, atMs: number) => {
    if (bytes.length === 0) return
    lastAtMs = Math.max(lastAtMs, atMs)
    if (isSplit) {
      // One byte per write, each on its own timer tick so the network cannot coalesce them.
      bytes.forEach((_, i) =>
        pieces.push({
          bytes: bytes.subarray(i, i + 1),
          atMs: lastAtMs,
          extraMs: extraMs + i * SPLIT_SPACING_MS,
        }),
      )
      extraMs += bytes.length * SPLIT_SPACING_MS
    } else pieces.push({ bytes, atMs: lastAtMs, extraMs })
  }
  for (const chunk of body.chunks) {
    const chunkStart = chunk.startByte
    const chunkEnd = chunkStart + chunk.bytes.length
    const from = Math.max(chunkStart, resumeByte)
    const to = Math.min(chunkEnd, cutByte)
    if (from >= to) {
      if (chunkStart >= cutByte) break
      continue
    }
    const atMs = chunk.atMs - originMs - shiftMs
    // Injected delay and jitter never reorder bytes: extra time only accumulates.
    extraMs = Math.max(extraMs, delayMs + (jitterMs ? Math.random() * jitterMs : 0))
    // Walk the chunk's bytes, skipping dropped events and repeating a duplicated one.
    let position = from
    while (position < to) {
      const dropped = drop.find((e) => e.startByte <= position && position < e.endByte)
      if (dropped) {
        position = Math.min(to, dropped.endByte)
        continue
      }
      const nextCut = Math.min(
        to,
        ...drop.filter((e) => e.startByte > position).map((e) => e.startByte),
        duplicate && duplicate.endByte > position ? duplicate.endByte : Infinity,
        stallByte > position ? stallByte : Infinity,
      )
      emit(chunk.bytes.subarray(position - chunkStart, nextCut - chunkStart), atMs)
      if (duplicate && nextCut === duplicate.endByte)
        emit(bytesOfRange(body.chunks, duplicate.startByte, duplicate.endByte), atMs)
      if (nextCut === stallByte && stallMs > 0) extraMs += stallMs
      position = nextCut
    }
  }
  return pieces
}

function bytesOfRange(chunks: readonly ChunkRecord[], start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start)
  for (const chunk of chunks) {
    const from = Math.max(start, chunk.startByte)
    const to = Math.min(end, chunk.startByte + chunk.bytes.length)
    if (to > from) out.set(chunk.bytes.subarray(from - chunk.startByte, to - chunk.startByte), from - start)
  }
  return out
}

function replay(
  body: Body,
  options: ReplayOptions,
  request: IncomingMessage,
  response: ServerResponse,
  query: URLSearchParams,
): void {
  const headers: Record<string, string> = {}
  for (const [name, value] of body.open.headers)
    if (!DROPPED_HEADERS.has(name.toLowerCase())) headers[name] = value
  response.writeHead(body.open.status, body.open.statusText, headers)
  response.flushHeaders()
  const speed = options.speed && options.speed > 0 ? options.speed : 1
  let lastEventId = lastEventIdOf(request)
  const isSplit = query.get('splitBytes') === '1'
  let timer: NodeJS.Timeout | undefined
  let isGone = false
  response.on('close', () => {
    isGone = true
    clearTimeout(timer)
  })
  const play = () => {
    const pieces = planPieces(body, query, lastEventId)
    const startedMs = performance.now()
    let index = 0
    const next = () => {
      if (isGone) return
      const dueMs = (piece: Piece) => piece.atMs / speed + piece.extraMs
      while (index < pieces.length && dueMs(pieces[index]!) <= performance.now() - startedMs) {
        response.write(pieces[index]!.bytes)
        index++
        if (isSplit) break // one byte per tick
      }
      if (index < pieces.length) {
        const waitMs = dueMs(pieces[index]!) - (performance.now() - startedMs)
        timer = waitMs <= 0 ? (setImmediate(next) as unknown as NodeJS.Timeout) : setTimeout(next, waitMs)
        return
      }
      if (options.isLooping && pieces.length > 0) {
        lastEventId = undefined
        timer = setTimeout(play, 100)
        return
      }
      response.end()
    }
    next()
  }
  play()
}

/** Starts the replay server on 127.0.0.1; every path replays the recording. */
export async function startReplayServer(
  recording: LoadedRecording,
  options: ReplayOptions = {},
): Promise<ReplayServer> {
  const body = firstAttempt(recording)
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    replay(body, options, request, response, url.searchParams)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
