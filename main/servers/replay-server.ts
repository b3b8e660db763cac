import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { AnnotationRecord, StoredRecord } from '../../shared/recording/recording-format.ts'
import type { EventRecord, OpenRecord, StreamRecord } from '../../shared/sse/stream-records.ts'
import { forEachInTurns } from '../runtime/in-turns.ts'
import { lastEventIdOf } from './demo-server.ts'
import { failingAlone } from './request-handler.ts'
import { MAX_TIMER_MS } from '../../shared/timer-limit.ts'
import { answerPreflight, corsHeadersFor, isCorsHeader } from './replay-cors.ts'

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
export type ReplayOptions = {
  port?: number
  speed?: number
  isLooping?: boolean
  isEachAttempt?: boolean
  /** Web pages' origins (besides this machine's) that may read the streams; `*`: any (replay-cors.ts). */
  corsOrigins?: readonly string[]
}

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

/** Where an event sits in its attempt's body: what resume and faults need of it (not its data). */
type EventMark = Pick<EventRecord, 'id' | 'startByte' | 'endByte'>

/** Where a chunk sits in its attempt's body and when it came: its bytes are read as they fall due. */
type ChunkMark = { startByte: number; size: number; atMs: number }

/**
 * One attempt's response; cutAtMs: when its connection broke mid-body (the replay breaks it too).
 * `chunkBytes` reads its chunks' bytes afresh, in order (from the file, a window at a time, for a
 * recording read lazily): a recording of gigabytes is served without holding them.
 */
type Body = {
  attempt: number
  open: OpenRecord
  chunks: ChunkMark[]
  chunkBytes: () => Iterable<Uint8Array>
  cutAtMs?: number
}

/**
 * Where an attempt's events sit, in columns: millions of events are three arrays, not millions of
 * objects (a first resume in a 5M-event recording spent most of its time collecting them).
 */
class EventPlaces {
  readonly ids: (string | undefined)[] = []
  readonly starts: number[] = []
  readonly ends: number[] = []

  add(id: string | undefined, start: number, end: number): void {
    this.ids.push(id)
    this.starts.push(start)
    this.ends.push(end)
  }

  at(index: number): EventMark | undefined {
    if (index < 0 || index >= this.ids.length) return undefined
    return { id: this.ids[index], startByte: this.starts[index]!, endByte: this.ends[index]! }
  }

  /** The events with this id from index `from` on. */
  withId(id: string, from: number): EventMark[] {
    const found: EventMark[] = []
    for (let i = this.ids.indexOf(id, from); i !== -1; i = this.ids.indexOf(id, i + 1))
      found.push(this.at(i)!)
    return found
  }
}

/** Where an attempt's events sit. */
type EventsOf = (attempt: number) => Promise<EventPlaces>

/** Queries that need to know where events sit (besides a Last-Event-ID to resume after). */
const EVENT_QUERIES = ['disconnectAfter', 'stallAfter', 'drop', 'duplicate']

type AnyRecord = StoredRecord | StreamRecord | AnnotationRecord

/** The bytes of one attempt's chunks, in order, from a pass over the records (attempts come in order). */
function* chunkBytesOf(records: Iterable<AnyRecord>, attempt: number): Generator<Uint8Array> {
  for (const record of records) {
    if (record.attempt > attempt) return
    if (record.kind === 'chunk' && record.attempt === attempt) yield record.bytes
  }
}

/**
 * Every attempt the recording made, in order (a request record starts each): its response as recorded,
 * or undefined if it got none (it failed to connect, or timed out). Read in one pass over the stored
 * records (nothing framed: a 2.4 GB recording is ready in ~1 s), chunks kept as marks.
 */
async function attemptsOf(source: Iterable<AnyRecord>): Promise<(Body | undefined)[]> {
  const requests: number[] = []
  const bodies = new Map<number, Partial<Body> & Pick<Body, 'attempt' | 'chunks' | 'chunkBytes'>>()
  const bodyOf = (attempt: number) => {
    let body = bodies.get(attempt)
    if (!body) {
      body = { attempt, chunks: [], chunkBytes: () => chunkBytesOf(source, attempt) }
      bodies.set(attempt, body)
    }
    return body
  }
  await forEachInTurns(source, (record) => {
    if (record.kind === 'request') requests.push(record.attempt)
    else if (record.kind === 'open') bodyOf(record.attempt).open = record
    else if (record.kind === 'chunk') {
      const { startByte, atMs } = record
      bodyOf(record.attempt).chunks.push({ startByte, size: record.bytes.length, atMs })
    } else if (record.kind === 'close' && record.cause === 'network')
      bodyOf(record.attempt).cutAtMs ??= record.atMs
  })
  return requests.map((attempt) => {
    const body = bodies.get(attempt)
    return body?.open ? { ...body, open: body.open } : undefined
  })
}

/** Where every attempt's events sit, framed in one pass (in turns with other work): their places, not their data. */
async function eventPlacesOf(
  records: Iterable<StreamRecord | AnnotationRecord>,
): Promise<Map<number, EventPlaces>> {
  const places = new Map<number, EventPlaces>()
  await forEachInTurns(records, (record) => {
    if (record.kind !== 'event') return
    let attemptPlaces = places.get(record.attempt)
    if (!attemptPlaces) places.set(record.attempt, (attemptPlaces = new EventPlaces()))
    attemptPlaces.add(record.id, record.startByte, record.endByte)
  })
  return places
}

/**
 * The writes for one connection, made as they are due: the recorded chunks, cut and edited by resume
 * point and faults.
 */
export function* planPieces(
  body: Body,
  events: EventPlaces,
  query: URLSearchParams,
  lastEventId: string | undefined,
): Generator<Piece> {
  const numberParam = (name: string) => {
    const value = Number(query.get(name))
    return query.has(name) && Number.isFinite(value) && value >= 0 ? value : undefined
  }
  let first = 0 // the first event sent
  let resumeByte = 0
  if (lastEventId !== undefined) {
    const index = events.ids.indexOf(lastEventId)
    if (index !== -1) {
      resumeByte = events.ends[index]!
      first = index + 1
    }
  }
  // Byte ranges to leave out or to send twice.
  const dropId = query.get('drop')
  const duplicateId = query.get('duplicate')
  const drop = dropId === null ? [] : events.withId(dropId, first)
  const duplicate = duplicateId === null ? undefined : events.at(events.ids.indexOf(duplicateId, first))
  // Where the n-th event sent ends (1 is the first; none: the body's end).
  const endOfSent = (n: number | undefined) =>
    n !== undefined && n >= 1 ? (events.ends[first + n - 1] ?? Infinity) : Infinity
  const cutByte = endOfSent(numberParam('disconnectAfter'))
  const stallByte = endOfSent(numberParam('stallAfter'))
  const stallMs = numberParam('stallMs') ?? 0
  const delayMs = numberParam('delayMs') ?? 0
  const jitterMs = numberParam('jitterMs') ?? 0
  const isSplit = query.get('splitBytes') === '1'

  const originMs = body.open.atMs
  const baseMs = body.chunks.find((c) => c.startByte + c.size > resumeByte)?.atMs ?? originMs
  const shiftMs = resumeByte > 0 ? baseMs - originMs : 0
  let lastAtMs = 0
  let extraMs = 0
  function* emit(bytes: Uint8Array, atMs: number): Generator<Piece> {
    if (bytes.length === 0) return
    lastAtMs = Math.max(lastAtMs, atMs)
    if (!isSplit) return yield { bytes, atMs: lastAtMs, extraMs }
    // One byte per write, each on its own timer tick so the network cannot coalesce them.
    for (let i = 0; i < bytes.length; i++)
      yield { bytes: bytes.subarray(i, i + 1), atMs: lastAtMs, extraMs: extraMs + i * SPLIT_SPACING_MS }
    extraMs += bytes.length * SPLIT_SPACING_MS
  }
  // The duplicated event's bytes, gathered as its chunks go by (it is sent again once it has ended).
  const duplicated = duplicate && new Uint8Array(duplicate.endByte - duplicate.startByte)
  for (const { chunk, bytes } of withBytes(body)) {
    const chunkStart = chunk.startByte
    const chunkEnd = chunkStart + chunk.size
    if (chunkStart >= cutByte) break
    if (duplicate && duplicated) copyRange(bytes, chunkStart, duplicated, duplicate.startByte)
    const from = Math.max(chunkStart, resumeByte)
    const to = Math.min(chunkEnd, cutByte)
    if (from >= to) continue
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
      yield* emit(bytes.subarray(position - chunkStart, nextCut - chunkStart), atMs)
      if (duplicated && nextCut === duplicate!.endByte) yield* emit(duplicated, atMs)
      if (nextCut === stallByte && stallMs > 0) extraMs += stallMs
      position = nextCut
    }
  }
}

/**
 * An attempt's chunks with their bytes, read as they are reached. Stopped early (the client left), the
 * reading stops too: a file read for it is closed.
 */
function* withBytes(body: Body): Generator<{ chunk: ChunkMark; bytes: Uint8Array }> {
  let index = 0
  for (const bytes of body.chunkBytes()) {
    const chunk = body.chunks[index++]
    if (!chunk) return
    yield { chunk, bytes }
  }
}

/** Copies what of a chunk (starting at body byte `chunkStart`) falls in `out`'s range (starting at `outStart`). */
function copyRange(chunk: Uint8Array, chunkStart: number, out: Uint8Array, outStart: number): void {
  const from = Math.max(outStart, chunkStart)
  const to = Math.min(outStart + out.length, chunkStart + chunk.length)
  if (to > from) out.set(chunk.subarray(from - chunkStart, to - chunkStart), from - outStart)
}

/**
 * Replays a body to one client. Where its events sit is framed from the recording only when the
 * request needs it (a Last-Event-ID to resume after, or a fault counted in events), once for the server.
 */
function replay(
  body: Body,
  eventsOf: EventsOf,
  options: ReplayOptions,
  request: IncomingMessage,
  response: ServerResponse,
  query: URLSearchParams,
): void {
  // Attempt by attempt, the recorded server already answered each request's Last-Event-ID.
  const lastEventId = options.isEachAttempt ? undefined : lastEventIdOf(request)
  const cors = corsHeadersFor(request, { origins: options.corsOrigins })
  if (lastEventId === undefined && !EVENT_QUERIES.some((name) => query.has(name)))
    return replayWith(body, new EventPlaces(), options, lastEventId, response, query, cors)
  eventsOf(body.attempt)
    .then((events) => {
      if (!response.destroyed) replayWith(body, events, options, lastEventId, response, query, cors)
    })
    .catch((error: unknown) => {
      if (response.headersSent) response.destroy()
      else response.writeHead(500, { 'content-type': 'text/plain' }).end(`${(error as Error).message}\n`)
    })
}

function replayWith(
  body: Body,
  events: EventPlaces,
  options: ReplayOptions,
  lastEventId: string | undefined,
  response: ServerResponse,
  query: URLSearchParams,
  /** The client's CORS headers (none when its page may not read the stream): the recording's give way. */
  cors: Record<string, string>,
): void {
  const speed = options.speed && options.speed > 0 ? options.speed : 1
  const isSplit = query.get('splitBytes') === '1'
  let timer: NodeJS.Timeout | undefined
  let isGone = false
  // The first piece before the head: a recording that cannot be read (its file deleted since) is a 500
  // with the reason (failingAlone), not a 200 cut off, which an EventSource would retry for ever.
  let planned = planPieces(body, events, query, lastEventId)
  const firstPiece = planned.next().value
  const headers: Record<string, string> = Object.create(null) as Record<string, string> // any header name
  const isCors = Object.keys(cors).length > 0
  for (const [name, value] of body.open.headers)
    if (!DROPPED_HEADERS.has(name.toLowerCase()) && !(isCors && isCorsHeader(name))) headers[name] = value
  Object.assign(headers, cors)
  response.writeHead(body.open.status, body.open.statusText, headers)
  response.flushHeaders()
  response.on('close', () => {
    isGone = true
    clearTimeout(timer)
    planned.return(undefined) // stops reading the recording for this client
  })
  /** The next piece; a recording that fails to read on (a disk error) ends this client's response. */
  const nextPiece = (): Piece | undefined => {
    try {
      return planned.next().value ?? undefined
    } catch {
      response.destroy()
      return undefined
    }
  }
  const play = (first: Piece | undefined) => {
    const startedMs = performance.now()
    let piece = first // the next to write
    const hasPieces = piece !== undefined
    const next = () => {
      if (isGone) return
      const dueMs = ({ atMs, extraMs }: Piece) => atMs / speed + extraMs
      while (piece && dueMs(piece) <= performance.now() - startedMs) {
        const isTaken = response.write(piece.bytes)
        piece = nextPiece()
        // A client slower than the recording holds the replay back, as it would hold back a server.
        if (!isTaken) return void response.once('drain', next)
        if (isSplit) break // one byte per tick
      }
      if (piece) {
        const waitMs = dueMs(piece) - (performance.now() - startedMs)
        // A wait past what a timer takes (?stallMs= of months) is checked again after the longest.
        timer =
          waitMs <= 0
            ? (setImmediate(next) as unknown as NodeJS.Timeout)
            : setTimeout(next, Math.min(waitMs, MAX_TIMER_MS))
        return
      }
      if (options.isLooping && !options.isEachAttempt && hasPieces) {
        timer = setTimeout(() => {
          planned = planPieces(body, events, query, undefined) // again from the start
          play(nextPiece())
        }, 100)
        return
      }
      if (body.cutAtMs !== undefined && options.isEachAttempt) {
        // Broken when it broke then: the bytes written go first (end, not destroy), with no HTTP end.
        const dueMs = (body.cutAtMs - body.open.atMs) / speed - (performance.now() - startedMs)
        timer = setTimeout(() => response.socket?.end(), Math.min(Math.max(0, dueMs), MAX_TIMER_MS))
      } else response.end()
    }
    next()
  }
  play(firstPiece ?? undefined)
}

/** Starts the replay server on 127.0.0.1; every path replays the recording. */
export async function startReplayServer(
  recording: { records: Iterable<StreamRecord | AnnotationRecord>; stored?: Iterable<StoredRecord> },
  options: ReplayOptions = {},
): Promise<ReplayServer> {
  // The stored records, when there are, give the attempts and bytes without framing any event.
  const attempts = await attemptsOf(recording.stored ?? recording.records)
  let places: Promise<Map<number, EventPlaces>> | undefined
  const eventsOf: EventsOf = async (attempt) => {
    places ??= eventPlacesOf(recording.records).catch((error: unknown) => {
      places = undefined // the next request that needs them tries again
      throw error
    })
    return (await places).get(attempt) ?? new EventPlaces()
  }
  if (!attempts.some((attempt) => attempt !== undefined))
    throw new Error('the recording has no response to replay')
  let served = 0
  const server = createServer(
    failingAlone((request, response, url) => {
      if (answerPreflight(request, response, { origins: options.corsOrigins })) return
      if (!options.isEachAttempt)
        return replay(
          attempts[0] ?? attempts.find(Boolean)!,
          eventsOf,
          options,
          request,
          response,
          url.searchParams,
        )
      const index = options.isLooping ? served++ % attempts.length : served++
      if (index >= attempts.length) {
        response.writeHead(204, { 'x-sse-inspector-replay': 'no more recorded attempts' }).end()
        return
      }
      const body = attempts[index]
      if (body) replay(body, eventsOf, options, request, response, url.searchParams)
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
