import type { ConnectionSetup } from '../sse/fetch-like.ts'
import type { HeaderEntry, StreamRequest } from '../sse/stream-request.ts'
import { frameOf, type ImportedSession } from './export-formats.ts'
import type { StoredRecord } from './recording-format.ts'

// A HAR file is anyone's JSON (a browser's, a proxy's, one edited by hand): every field is read with a
// check of its type, so a field of another shape is taken as absent rather than reaching code that
// trusts it.

type Fields = Record<string, unknown>

const fieldsOf = (value: unknown): Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : {}
const textOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)
/** A number a Date can hold (HAR times and durations are ms); anything else reads as absent. */
const msOf = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= 8.64e15 ? value : undefined

/** HAR's `[{ name, value }]`, keeping the entries that are both strings. */
function headersOf(value: unknown): HeaderEntry[] {
  if (!Array.isArray(value)) return []
  return value.flatMap((item) => {
    const { name, value: headerValue } = fieldsOf(item)
    return typeof name === 'string' && typeof headerValue === 'string' ? [[name, headerValue] as const] : []
  })
}

/** What the import takes from a HAR entry, each field of the type it needs or absent. */
type HarEntry = {
  startedDateTime?: string
  url?: string
  method?: string
  requestHeaders: HeaderEntry[]
  body?: string
  status?: number
  statusText?: string
  httpVersion?: string
  responseHeaders: HeaderEntry[]
  content: { text?: string; encoding?: string }
  timings: { blocked?: number; dns?: number; connect?: number; ssl?: number; send?: number; wait?: number }
  messages: { type?: string; id?: string; data: string; time?: number }[]
}

function entryOf(value: unknown): HarEntry {
  const entry = fieldsOf(value)
  const request = fieldsOf(entry.request)
  const response = fieldsOf(entry.response)
  const content = fieldsOf(response.content)
  const timings = fieldsOf(entry.timings)
  const status = msOf(response.status)
  return {
    startedDateTime: textOf(entry.startedDateTime),
    url: textOf(request.url),
    method: textOf(request.method),
    requestHeaders: headersOf(request.headers),
    body: textOf(fieldsOf(request.postData).text),
    status:
      status !== undefined && Number.isInteger(status) && status >= 100 && status <= 999 ? status : undefined,
    statusText: textOf(response.statusText),
    httpVersion: textOf(response.httpVersion),
    responseHeaders: headersOf(response.headers),
    content: { text: textOf(content.text), encoding: textOf(content.encoding) },
    timings: {
      blocked: msOf(timings.blocked),
      dns: msOf(timings.dns),
      connect: msOf(timings.connect),
      ssl: msOf(timings.ssl),
      send: msOf(timings.send),
      wait: msOf(timings.wait),
    },
    messages: (Array.isArray(entry._eventSourceMessages) ? entry._eventSourceMessages : []).map((item) => {
      const message = fieldsOf(item)
      const time = msOf(message.time)
      return {
        type: textOf(message.type),
        id: textOf(message.id),
        data: textOf(message.data) ?? '',
        // HAR's message times are seconds since the epoch.
        time: time !== undefined ? msOf(time * 1000) : undefined,
      }
    }),
  }
}

/** A HAR entry's connection set-up, if its timings give one (a reused connection's read -1: unknown). */
function setupOfHar(timings: HarEntry['timings']): ConnectionSetup | undefined {
  const known = (ms: number | undefined) => (ms !== undefined && ms >= 0 ? ms : undefined)
  const dnsMs = known(timings.dns)
  const connectMs = known(timings.connect)
  if (dnsMs === undefined && connectMs === undefined) return undefined
  const tlsMs = known(timings.ssl)
  return {
    isReused: false,
    ...(dnsMs !== undefined ? { dnsMs } : {}),
    ...(connectMs !== undefined ? { tcpMs: Math.max(0, connectMs - (tlsMs ?? 0)) } : {}),
    ...(tlsMs !== undefined ? { tlsMs } : {}),
  }
}

function base64Bytes(base64: string): Uint8Array {
  let binary: string
  try {
    binary = atob(base64.replace(/\s+/g, ''))
  } catch {
    throw new Error('the HAR entry says its body is base64, and it is not')
  }
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

const isEventStream = (entry: HarEntry) =>
  entry.responseHeaders.some(
    ([name, value]) => name.toLowerCase() === 'content-type' && value.includes('text/event-stream'),
  )

/**
 * A session from a HAR file: the first entry with EventSource messages (or an event-stream body), and
 * every entry for the same method and URL as its attempts, in order (a browser's HAR of an EventSource
 * that reconnected, or one this app exported from a recording with reconnects). Between two attempts a
 * reconnect says what the next one sent as Last-Event-ID.
 */
export function fromHar(har: unknown): ImportedSession {
  const list = fieldsOf(fieldsOf(har).log).entries
  if (!Array.isArray(list)) throw new Error('not a HAR file (no log.entries)')
  const entries = list.map(entryOf)
  const first = entries.find((e) => e.messages.length > 0) ?? entries.find(isEventStream)
  if (!first?.url) throw new Error('the HAR file has no EventSource entry')
  const method = first.method ?? 'GET'
  const attempts = entries.filter((e) => e.url === first.url && (e.method ?? 'GET') === method)
  const { body } = first
  const request: StreamRequest = {
    url: first.url,
    method,
    headers: first.requestHeaders,
    ...(body !== undefined ? { body } : {}),
  }
  const stored: StoredRecord[] = []
  const seqs = { next: 0 }
  attempts.forEach((entry, attempt) => {
    const startMs = Date.parse(entry.startedDateTime ?? '') || Date.now()
    if (attempt > 0) {
      const lastAtMs = stored.at(-1)!.atMs
      const lastEventId = entry.requestHeaders.find(([name]) => name.toLowerCase() === 'last-event-id')?.[1]
      stored.push({
        kind: 'reconnect',
        seq: seqs.next++,
        atMs: startMs,
        attempt,
        reconnectAttempt: attempt,
        delayMs: Math.max(0, Math.round(startMs - lastAtMs)),
        lastEventId: lastEventId ?? '',
      })
    }
    stored.push(...attemptRecords(entry, attempt, startMs, seqs, attempt < attempts.length - 1))
  })
  return { request, stored }
}

/** The HTTP version a HAR names ("HTTP/1.1", "HTTP/2.0", "h2"), as the transport reports it ("1.1", "2"). */
function httpVersionOf(value: string | undefined): string {
  const named = /^(?:HTTP\/(\d(?:\.\d)?)|h(\d))$/i.exec(value ?? '')
  const version = named?.[1] ?? named?.[2]
  return version === undefined ? '1.1' : version.replace(/^(\d)\.0$/, '$1')
}

/** One HAR entry's request, response, body and close, as attempt `attempt` of the stream. */
function attemptRecords(
  entry: HarEntry,
  attempt: number,
  startMs: number,
  seqs: { next: number },
  willReconnect: boolean,
): StoredRecord[] {
  // The head arrived after every step before it (HAR's connect includes its ssl; -1: did not apply).
  const { timings } = entry
  const beforeHeadMs = [timings.blocked, timings.dns, timings.connect, timings.send, timings.wait]
    .map((ms) => Math.max(0, ms ?? 0))
    .reduce((sum, ms) => sum + ms, 0)
  const openAtMs = msOf(startMs + beforeHeadMs) ?? startMs
  const setup = setupOfHar(timings)
  const url = entry.url ?? ''
  const records: StoredRecord[] = [
    {
      kind: 'request',
      seq: seqs.next++,
      atMs: startMs,
      attempt,
      method: entry.method ?? 'GET',
      url,
      headers: entry.requestHeaders,
      hasBody: entry.body !== undefined,
    },
    {
      kind: 'open',
      seq: seqs.next++,
      atMs: openAtMs,
      attempt,
      status: entry.status ?? 200,
      statusText: entry.statusText ?? 'OK',
      headers: entry.responseHeaders,
      httpVersion: httpVersionOf(entry.httpVersion),
      url,
      isRedirected: false,
      timeToHeadersMs: openAtMs - startMs,
      ...(setup ? { connectionSetup: setup } : {}),
    },
  ]
  let startByte = 0
  const pushChunk = (content: string | Uint8Array, atMs: number) => {
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content
    records.push({ kind: 'chunk', seq: seqs.next++, atMs, attempt, startByte, bytes })
    startByte += bytes.length
  }
  if (entry.messages.length > 0) {
    for (const m of entry.messages) pushChunk(frameOf(m), m.time ?? openAtMs)
  } else if (entry.content.text) {
    // Browsers base64-encode bodies they do not take for text.
    const { text, encoding } = entry.content
    pushChunk(encoding === 'base64' ? base64Bytes(text) : text, openAtMs)
  }
  records.push({
    kind: 'close',
    seq: seqs.next++,
    atMs: records.at(-1)!.atMs,
    attempt,
    cause: 'eof',
    willReconnect,
    message: 'imported from HAR',
  })
  return records
}
