import type {
  ChunkRecord,
  EventRecord,
  OpenRecord,
  RequestRecord,
  StreamRecord,
} from '../sse/stream-records.ts'
import type { HeaderEntry, StreamRequest } from '../sse/stream-request.ts'
import { concatBytes } from '../concat-bytes.ts'
import { refusalOf } from '../sse/open-stream.ts'
import { timingSteps, type TimingStep } from '../sse/timing-steps.ts'
import { AttemptBodyText } from './attempt-body-text.ts'
import type { AnnotationRecord, RecordingBytes, StoredRecord } from './recording-format.ts'

type AnyRecord = StreamRecord | AnnotationRecord

const isKind =
  <K extends string>(kind: K) =>
  (r: AnyRecord): r is Extract<AnyRecord, { kind: K }> =>
    r.kind === kind

/** Lines, or array items, put together this many at a time: no string of a long stream's whole. */
const PART_ITEMS = 10_000

/**
 * NDJSON: one event record per line (the same shape as `watch --json`), in parts of many lines: a long
 * recording's whole would pass the longest string V8 makes (~512 MiB; 2M events do).
 */
export function* toNdjsonParts(records: Iterable<AnyRecord>): Generator<string> {
  let lines: string[] = []
  for (const record of records) {
    if (record.kind !== 'event') continue
    lines.push(JSON.stringify(record) + '\n')
    if (lines.length < PART_ITEMS) continue
    yield lines.join('')
    lines = []
  }
  if (lines.length > 0) yield lines.join('')
}

const MESSAGES_MARK = '\u0000sse-inspector-messages-'

/** What toHar makes: HAR 1.2, the parts harJsonParts needs typed, the rest as it is. */
export type Har = {
  log: { entries: ({ _eventSourceMessages: unknown[] } & Record<string, unknown>)[] } & Record<
    string,
    unknown
  >
}

/**
 * A HAR (toHar's) as JSON text in parts: each entry's `_eventSourceMessages` — a long stream's million
 * events — is written in batches (compact), the rest as one indented document around them.
 */
export function* harJsonParts(har: Har): Generator<string> {
  const entries = har.log.entries
  const marked = {
    ...har,
    log: {
      ...har.log,
      entries: entries.map((e, i) => ({ ...e, _eventSourceMessages: `${MESSAGES_MARK}${i}` })),
    },
  }
  const text = JSON.stringify(marked, null, 2)
  let from = 0
  for (const match of text.matchAll(/"\\u0000sse-inspector-messages-(\d+)"/g)) {
    yield text.slice(from, match.index)
    const messages = entries[Number(match[1])]!._eventSourceMessages
    yield '['
    for (let i = 0; i < messages.length; i += PART_ITEMS)
      yield (
        (i > 0 ? ',' : '') +
        messages
          .slice(i, i + PART_ITEMS)
          .map((message) => JSON.stringify(message))
          .join(',')
      )
    yield ']'
    from = match.index + match[0].length
  }
  yield text.slice(from)
}

/**
 * The raw bytes of every response body that opened a stream, in order (what `curl -N` printed for each).
 * A refused response's body (an error page, an API's error JSON) is left out: it is not SSE, and read
 * back as SSE it would turn into junk fields. Where a connection ended inside a block and another
 * attempt follows, the cut block is left out with a comment saying so (see attemptBodyParts), so the
 * text reads back as the same events.
 */
export function toSseBytes(records: Iterable<AnyRecord>): Uint8Array {
  return concatBytes([...toSseParts(records)])
}

/**
 * toSseBytes in parts of about a MiB (the chunks as they are, gathered): a long recording's stream is
 * gigabytes, and one attempt's body may be more than one buffer or write takes.
 */
export function* toSseParts(
  records: Iterable<AnyRecord | StoredRecord>,
  releaseBytes?: number,
): Generator<Uint8Array> {
  yield* gathered(attemptBodies(records, releaseBytes))
}

/**
 * Each attempt's body parts, as its chunks come: an attempt's records come before the next attempt's.
 * A body goes out as it comes only once its response opened a stream: a refused one (its error comes
 * after its body) is left out.
 */
function* attemptBodies(
  records: Iterable<AnyRecord | StoredRecord>,
  releaseBytes: number | undefined,
): Generator<Uint8Array> {
  let attempt: number | undefined
  let body: AttemptBodyText | undefined
  let isStreaming = false
  let isRefused = false
  let hasBody = false // an earlier attempt's body is in the text (its BOM opens it)
  let ended: AttemptBodyText | undefined // written once it is known whether another body follows
  function* endAttempt(): Generator<Uint8Array> {
    if (!body || isRefused) return
    if (ended) yield* ended.end(false)
    ended = body
    hasBody = true
  }
  for (const record of records) {
    const isRefusal =
      record.kind === 'error' && (record.code === 'http-status' || record.code === 'content-type')
    if (record.kind !== 'chunk' && record.kind !== 'open' && !isRefusal) continue
    if (record.attempt !== attempt) {
      yield* endAttempt()
      attempt = record.attempt
      body = undefined
      isStreaming = false
      isRefused = false
    }
    if (isRefusal) isRefused = true
    else if (record.kind === 'open') isStreaming = refusalOf(record) === undefined
    else if (record.kind === 'chunk') {
      body ??= new AttemptBodyText(!hasBody, releaseBytes)
      const parts = body.push(record.bytes, isStreaming)
      if (parts.length === 0) continue
      // This body is in the text: the one before it is not the last.
      if (ended) yield* ended.end(false)
      ended = undefined
      yield* parts
    }
  }
  yield* endAttempt()
  if (ended) yield* ended.end(true)
}

const GATHERED_BYTES = 1024 * 1024

/** Small parts copied together into parts of about GATHERED_BYTES (one write each, not one per chunk). */
function* gathered(parts: Iterable<Uint8Array>): Generator<Uint8Array> {
  let pending: Uint8Array[] = []
  let pendingBytes = 0
  for (const part of parts) {
    pending.push(part)
    pendingBytes += part.length
    if (pendingBytes < GATHERED_BYTES) continue
    yield concatBytes(pending)
    pending = []
    pendingBytes = 0
  }
  if (pendingBytes > 0) yield concatBytes(pending)
}

type HarHeader = { name: string; value: string }
const harHeaders = (headers: readonly HeaderEntry[]): HarHeader[] =>
  headers.map(([name, value]) => ({ name, value }))

/** "10.0.0.5:443" → "10.0.0.5", "[::1]:8080" → "::1". */
function hostOf(address: string): string {
  const bracketed = /^\[(.*)\]:\d+$/.exec(address)
  return bracketed ? bracketed[1]! : address.replace(/:\d+$/, '')
}

/** A URL's query as HAR lists it (none for a URL that does not parse: a damaged or hand-made recording). */
function queryStringOf(url: string): { name: string; value: string }[] {
  if (!URL.canParse(url)) return []
  return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }))
}

/**
 * HAR 1.2, one entry per connection attempt, events in `_eventSourceMessages` as Chrome writes them;
 * the request's body (an LLM prompt) as each entry's `postData` when `streamRequest` has one.
 */
export function toHar(
  records: readonly AnyRecord[],
  creatorVersion: string,
  streamRequest?: StreamRequest,
): Har {
  const requests = records.filter(isKind('request')) as RequestRecord[]
  const body = streamRequest?.body
  const entries = requests.map((request) => {
    const ofAttempt = records.filter((r) => r.attempt === request.attempt)
    const open = ofAttempt.find(isKind('open')) as OpenRecord | undefined
    const events = ofAttempt.filter(isKind('event')) as EventRecord[]
    const chunks = ofAttempt.filter(isKind('chunk')) as ChunkRecord[]
    const lastAtMs = ofAttempt.at(-1)?.atMs ?? request.atMs
    const bodyText = new TextDecoder().decode(toSseBytes(chunks))
    const header = (name: string) => open?.headers.find(([n]) => n.toLowerCase() === name)?.[1]
    const httpVersion = `HTTP/${open?.httpVersion ?? '1.1'}`
    return {
      startedDateTime: new Date(request.atMs).toISOString(),
      time: lastAtMs - request.atMs,
      // The address the connection went to, without its port (HAR's field is the IP alone).
      ...(open?.remoteAddress ? { serverIPAddress: hostOf(open.remoteAddress) } : {}),
      request: {
        method: request.method,
        url: request.url,
        httpVersion,
        headers: harHeaders(request.headers),
        queryString: queryStringOf(request.url),
        cookies: [],
        headersSize: -1,
        bodySize: request.hasBody && body !== undefined ? new TextEncoder().encode(body).length : 0,
        ...(request.hasBody && body !== undefined
          ? {
              postData: {
                mimeType:
                  request.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ??
                  'application/octet-stream',
                text: body,
              },
            }
          : {}),
      },
      response: {
        status: open?.status ?? 0,
        statusText: open?.statusText ?? '',
        httpVersion: open ? `HTTP/${open.httpVersion}` : '',
        headers: harHeaders(open?.headers ?? []),
        cookies: [],
        content: {
          size: bodyText.length,
          mimeType: header('content-type') ?? 'text/event-stream',
          text: bodyText,
        },
        redirectURL: '',
        headersSize: -1,
        bodySize: -1,
      },
      cache: {},
      timings: harTimings(open, lastAtMs),
      _resourceType: 'eventsource',
      _eventSourceMessages: events.map((e) => ({
        type: e.type,
        time: e.atMs / 1000,
        id: e.id ?? '',
        data: e.data,
      })),
    }
  })
  return {
    log: { version: '1.2', creator: { name: 'SSE Inspector', version: creatorVersion }, pages: [], entries },
  }
}

/**
 * HAR's timings of an attempt: the connection's set-up when it was made for the request (`connect`
 * includes `ssl`, as HAR says; -1 where a step did not apply or is not known), the wait for the head,
 * and the body's time until the attempt's last record.
 */
function harTimings(open: OpenRecord | undefined, lastAtMs: number): HarTimings {
  if (!open) return { send: 0, wait: -1, receive: -1 }
  const steps = timingSteps(open) ?? [{ name: 'wait', ms: open.timeToHeadersMs }]
  const msOf = (name: TimingStep['name']) => steps.find((step) => step.name === name)?.ms
  const tcpMs = msOf('connect')
  const tlsMs = msOf('TLS')
  return {
    dns: msOf('DNS') ?? -1,
    connect: tcpMs === undefined ? -1 : tcpMs + (tlsMs ?? 0),
    ssl: tlsMs ?? -1,
    send: 0,
    wait: msOf('wait')!,
    receive: lastAtMs - open.atMs,
  }
}

type HarTimings = {
  dns?: number
  connect?: number
  ssl?: number
  send: number
  wait: number
  receive: number
}

/** One SSE frame that carries an event exactly (multi-line data split into data lines). */
export function frameOf(event: { type?: string; id?: string; data: string }): string {
  let frame = ''
  if (event.id !== undefined && event.id !== '') frame += `id: ${event.id}\n`
  if (event.type && event.type !== 'message') frame += `event: ${event.type}\n`
  for (const line of event.data.split(/\r\n|\r|\n/)) frame += `data: ${line}\n`
  return frame + '\n'
}

export type ImportedSession = { request: StreamRequest; stored: Iterable<StoredRecord> }

/** Bytes to import: in memory, or a file read a window at a time (then `release` lets go of what went). */
export type ImportSource = Pick<RecordingBytes, 'length' | 'subarray' | 'release'>
