import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { LoadedRecording } from '../../shared/recording/recording-format.ts'
import type { ChunkRecord, EventRecord, OpenRecord } from '../../shared/sse/stream-records.ts'
import { lastEventIdOf } from './demo-server.ts'
import { failingAlone } from './request-handler.ts'

/**
 * Serves a recording as a live SSE endpoint: the first attempt's status, headers, bytes, chunk
 * boundaries and timing (scaled by speed), resuming after a Last-Event-ID, with faults on request:
 * ?disconnectAfter=N &splitBytes=1 &delayMs=D &jitterMs=J &stallAfter=N&stallMs=T &drop=ID &duplicate=ID
 *
 * Or, attempt by attempt (isEachAttempt), the whole reconnect story: the k-th request gets the k-th
 * attempt as recorded (its Last-Event-ID already answered by the recorded server), a connection that
 * broke breaks again, one that got no response is closed unanswered, and once the attempts are used
 * up a 204 tells the client to stop (isLooping starts again at the first).
 */
export type ReplayServer = { url: string; port: number; close: () => Promise<void> }
export type ReplayOptions = { port?: number; speed?: number; isLooping?: boolean; isEachAttempt?: boolean }

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

/** One attempt's response; cutAtMs: when its connection broke mid-body (the replay breaks it too). */
type Body = { open: OpenRecord; chunks: ChunkRecord[]; events: EventRecord[]; cutAtMs?: number }

/** An attempt's response as recorded, or undefined if it got none (it failed to connect, or timed out). */
function attemptBody(recording: LoadedRecording, attempt: number): Body | undefined {
  const ofAttempt = recording.records.filter((r) => r.kind !== 'annotation' && r.attempt === attempt)
  const open = ofAttempt.find((r): r is OpenRecord => r.kind === 'open')
  if (!open) return undefined
  const close = ofAttempt.find((r) => r.kind === 'close')
  return {
    open,
    chunks: ofAttempt.filter((r): r is ChunkRecord => r.kind === 'chunk'),
    events: ofAttempt.filter((r): r is EventRecord => r.kind === 'event'),
    cutAtMs: close?.kind === 'close' && close.cause === 'network' ? close.atMs : undefined,
  }
}

/** Every attempt the recording made, in order (a request record starts each). */
function attemptsOf(recording: LoadedRecording): (Body | undefined)[] {
  const numbers = recording.records.filter((r) => r.kind === 'request').map((r) => r.attempt)
  return numbers.map((attempt) => attemptBody(recording, attempt))
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
  const headers: Record<string, string> = Object.create(null) as Record<string, string> // any header name
  for (const [name, value] of body.open.headers)
    if (!DROPPED_HEADERS.has(name.toLowerCase())) headers[name] = value
  response.writeHead(body.open.status, body.open.statusText, headers)
  response.flushHeaders()
  const speed = options.speed && options.speed > 0 ? options.speed : 1
  // Attempt by attempt, the recorded server already answered each request's Last-Event-ID.
  let lastEventId = options.isEachAttempt ? undefined : lastEventIdOf(request)
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
      if (options.isLooping && !options.isEachAttempt && pieces.length > 0) {
        lastEventId = undefined
        timer = setTimeout(play, 100)
        return
      }
      if (body.cutAtMs !== undefined && options.isEachAttempt) {
        // Broken when it broke then: the bytes written go first (end, not destroy), with no HTTP end.
        const dueMs = (body.cutAtMs - body.open.atMs) / speed - (performance.now() - startedMs)
        timer = setTimeout(() => response.socket?.end(), Math.max(0, dueMs))
      } else response.end()
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
  const attempts = attemptsOf(recording)
  if (!attempts.some((attempt) => attempt !== undefined))
    throw new Error('the recording has no response to replay')
  let served = 0
  const server = createServer(
    failingAlone((request, response, url) => {
      if (!options.isEachAttempt)
        return replay(attempts[0] ?? attempts.find(Boolean)!, options, request, response, url.searchParams)
      const index = options.isLooping ? served++ % attempts.length : served++
      if (index >= attempts.length) {
        response.writeHead(204, { 'x-sse-inspector-replay': 'no more recorded attempts' }).end()
        return
      }
      const body = attempts[index]
      if (body) replay(body, options, request, response, url.searchParams)
      else request.socket.destroy() // no response was recorded: the connection fails unanswered
    }),
  )
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
