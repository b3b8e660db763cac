import { formatBytes } from '../format-bytes.ts'
import { bodyPreview } from './body-preview.ts'
import { CookieJar } from './cookie-jar.ts'
import { describeTransportError, type FetchLike, type FetchResponse, type RedirectHop } from './fetch-like.ts'
import { createFramer, type SeqCounter } from './framer.ts'
import { initialRetryMs, mayReconnect, reconnectDelayMs, SPEC_RECONNECT_POLICY } from './reconnect-policy.ts'
import { isTransientStatus, retryAfterMsOf } from './retry-after.ts'
import {
  buildRequestHeaders,
  headerValue,
  mediaTypeEssence,
  toWireHeaderValue,
  withUrlCredentialsMoved,
} from './request-headers.ts'
import { createStormWatch } from './reconnect-storm.ts'
import type {
  CloseCause,
  ErrorCode,
  ReconnectRecord,
  RedirectRecord,
  StreamRecord,
} from './stream-records.ts'
import { DEFAULT_MAX_EVENT_BYTES, type StreamRequest } from './stream-request.ts'
import { MAX_TIMER_MS } from '../timer-limit.ts'

/** Starts a timer; returns a function that cancels it. */
export type SetTimer = (callback: () => void, ms: number) => () => void

/** The edges the engine needs, injected so tests drive them and any host (Node, browser) can run it. */
export type StreamDeps = {
  fetch: FetchLike
  /** Wall-clock ms since the epoch, fractional. */
  now: () => number
  setTimer: SetTimer
  random?: () => number
}

/** How a stream ended: the cause of its last close. */
export type StreamOutcome = { cause: CloseCause; message: string }

/** A running stream. */
export type StreamHandle = {
  /** Stops the stream for good: the last record is a close with cause "aborted" and `reason` as its message. */
  close(reason?: string): void
  /** Drops the current connection and connects again now, optionally with another Last-Event-ID. */
  reconnect(options?: { lastEventId?: string }): void
  /** Resolves when the stream has ended and will not reconnect. */
  readonly done: Promise<StreamOutcome>
  readonly lastEventId: string
}

type AttemptEnd = {
  cause: CloseCause
  message: string
  hasOpened: boolean
  /** A refusal's status and the wait its Retry-After asks for. */
  status?: number
  retryAfterMs?: number
}

/**
 * Opens one SSE stream and reports everything it sees as records, reconnecting as the HTML spec's
 * EventSource does: after the `retry` delay, with Last-Event-ID; a non-200 status, a 204 or a wrong
 * Content-Type ends it for good. `onRecords` is called once per network chunk (and per lifecycle step).
 */
export function openStream(
  request: StreamRequest,
  deps: StreamDeps,
  onRecords: (records: StreamRecord[]) => void | Promise<void>,
): StreamHandle {
  const policy = request.reconnect ?? SPEC_RECONNECT_POLICY
  const maxEventBytes = request.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES
  const random = deps.random ?? Math.random
  let lastEventId = request.lastEventId ?? ''
  let retryMs = initialRetryMs(policy)
  const seqs: SeqCounter = { next: 0 }
  let attempt = 0
  let reconnects = 0
  let consecutiveFailures = 0
  let isClosed = false
  let closeReason = 'closed by the user'
  let pendingManualReconnect: { lastEventId?: string } | undefined
  let abortAttempt: (() => void) | undefined
  let cancelWait: (() => void) | undefined
  let resolveDone: (outcome: StreamOutcome) => void = () => {}
  let isRunning = false
  const cookies = policy.isKeepingCookies ? new CookieJar() : undefined
  // A login in the URL goes as Basic auth, as curl sends it.
  const target = withUrlCredentialsMoved(request.url, request.headers ?? [])

  const nextSeq = () => seqs.next++
  const emit = (records: StreamRecord[]): void => void onRecords(records)
  const base = () => ({ seq: nextSeq(), atMs: deps.now(), attempt })

  const error = (code: ErrorCode, message: string): void =>
    emit([{ kind: 'error', ...base(), code, message }])

  async function runAttempt(): Promise<AttemptEnd> {
    const controller = new AbortController()
    abortAttempt = () => controller.abort()
    const method = (request.method ?? 'GET').toUpperCase()
    const requested = buildRequestHeaders(target.headers, lastEventId)
    const headers = cookies ? cookies.addTo(requested, target.url, deps.now()) : requested
    emit([
      { kind: 'request', ...base(), method, url: target.url, headers, hasBody: request.body !== undefined },
    ])
    const startedMs = deps.now()
    let response: FetchResponse
    try {
      response = await deps.fetch(target.url, {
        method,
        headers: headers.map(([name, value]) => [name, toWireHeaderValue(value)] as const),
        body: request.body,
        signal: controller.signal,
        // A cookie a redirect sets goes with the next hops it matches (a login redirect's session).
        onRedirect:
          cookies &&
          ((hop, next) => {
            cookies.take(hop.headers, hop.url, deps.now())
            return cookies.addTo(next.headers, next.url, deps.now())
          }),
      })
    } catch (thrown) {
      if (controller.signal.aborted) return { cause: 'aborted', message: closeReason, hasOpened: false }
      const { code, message } = describeTransportError(thrown)
      error(code === 'network' ? 'connect' : code, message)
      return { cause: code === 'request' ? 'request' : 'network', message, hasOpened: false }
    }
    const timeToHeadersMs = deps.now() - startedMs
    cookies?.take(response.headers, response.url, deps.now()) // a redirect's were taken as it was followed
    emit([
      {
        kind: 'open',
        ...base(),
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
        httpVersion: response.httpVersion,
        ...(response.proxyUrl ? { proxy: response.proxyUrl } : {}),
        ...(response.remoteAddress ? { remoteAddress: response.remoteAddress } : {}),
        ...(response.connectionSetup ? { connectionSetup: response.connectionSetup } : {}),
        ...(response.tls ? { tls: response.tls } : {}),
        url: response.url,
        isRedirected: response.isRedirected,
        ...(response.redirects ? { redirects: response.redirects.map(redirectRecordOf) } : {}),
        timeToHeadersMs,
      },
    ])
    const refusal = refusalOf(response)
    if (refusal) {
      // What the server said instead (an API's error JSON, a login page) is the first thing to look at.
      const said = refusal.code ? await readRefusedBody(response, controller.signal) : ''
      // Abort, not only cancel: a read still pending on a body that never ends would hold the connection.
      controller.abort()
      response.cancel()
      if (refusal.code)
        error(refusal.code, said ? `${refusal.message}; the body says: ${said}` : refusal.message)
      const retryAfterMs = retryAfterMsOf(headerValue(response.headers, 'retry-after'), deps.now())
      return {
        cause: refusal.cause,
        message: refusal.message,
        hasOpened: true,
        status: response.status,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      }
    }
    return readBody(response, controller.signal)
  }

  /**
   * Reads the start of a refused response's body as chunk records (the raw views and the recording keep
   * it), briefly: an error body comes with its headers, while a stream sent with the wrong Content-Type
   * would never end. Returns its text, shortened to a line.
   */
  async function readRefusedBody(response: FetchResponse, signal: AbortSignal): Promise<string> {
    if (!response.body) return ''
    const iterator = response.body[Symbol.asyncIterator]()
    const parts: Uint8Array[] = []
    let size = 0
    let cancelTimer = () => {}
    const isLate = new Promise<'late'>((resolve) => {
      cancelTimer = deps.setTimer(() => resolve('late'), REFUSED_BODY_WAIT_MS)
    })
    try {
      while (size < REFUSED_BODY_MAX_BYTES && !signal.aborted) {
        const next = await Promise.race([iterator.next(), isLate])
        if (next === 'late' || next.done) break
        emit([{ kind: 'chunk', ...base(), bytes: next.value, startByte: size }])
        parts.push(next.value)
        size += next.value.length
      }
    } catch {
      // The body failed midway: what arrived is still worth showing.
    } finally {
      cancelTimer()
    }
    return bodyPreview(parts)
  }

  async function readBody(response: FetchResponse, signal: AbortSignal): Promise<AttemptEnd> {
    const framer = createFramer({ maxEventBytes, lastEventId, seqs })
    let startByte = 0
    try {
      for await (const bytes of response.body ?? []) {
        const atMs = deps.now()
        const chunkSeq = nextSeq()
        const batch: StreamRecord[] = [{ kind: 'chunk', seq: chunkSeq, atMs, attempt, bytes, startByte }]
        startByte += bytes.length
        framer.push(bytes, { chunkSeq, atMs, attempt }, batch)
        lastEventId = framer.lastEventId
        retryMs = framer.retryMs ?? retryMs
        // A consumer that cannot keep up returns a promise: stop reading until it settles (backpressure).
        const pending = onRecords(batch)
        if (pending) await pending
        if (framer.isTooLarge) {
          response.cancel()
          const message = `a line or event exceeded the size limit of ${formatBytes(maxEventBytes)} (${maxEventBytes} bytes); connection failed (the limit is a setting: Max event size in Options, --max-event-bytes on the command line)`
          error('too-large', message)
          return { cause: 'too-large', message, hasOpened: true }
        }
      }
    } catch (thrown) {
      if (signal.aborted) return { cause: 'aborted', message: closeReason, hasOpened: true }
      const { message } = describeTransportError(thrown)
      error('network', message)
      endFramer(framer)
      return { cause: 'network', message, hasOpened: true }
    }
    if (signal.aborted) return { cause: 'aborted', message: closeReason, hasOpened: true }
    endFramer(framer)
    return { cause: 'eof', message: 'the server ended the response', hasOpened: true }
  }

  function endFramer(framer: ReturnType<typeof createFramer>): void {
    const batch: StreamRecord[] = []
    framer.end({ chunkSeq: seqs.next - 1, atMs: deps.now(), attempt }, batch)
    if (batch.length > 0) emit(batch)
  }

  function waitMs(ms: number): Promise<void> {
    return new Promise((resolve) => {
      let cancelTimer: () => void
      // A server's retry may pass what one timer takes (retry: 9999999999 made a reconnect storm):
      // wait in turns of the longest.
      const waitFor = (leftMs: number) => {
        cancelTimer = deps.setTimer(
          () => {
            if (leftMs > MAX_TIMER_MS) return waitFor(leftMs - MAX_TIMER_MS)
            cancelWait = undefined
            resolve()
          },
          Math.min(leftMs, MAX_TIMER_MS),
        )
      }
      waitFor(ms)
      cancelWait = () => {
        cancelTimer()
        cancelWait = undefined
        resolve()
      }
    })
  }

  const stormWarningAfter = createStormWatch()

  async function run(): Promise<void> {
    isRunning = true
    for (;;) {
      const end = await runAttempt()
      abortAttempt = undefined
      const manual = pendingManualReconnect
      pendingManualReconnect = undefined
      if (manual) {
        emit([
          { kind: 'close', ...base(), cause: 'aborted', willReconnect: true, message: 'reconnect requested' },
        ])
        if (manual.lastEventId !== undefined) lastEventId = manual.lastEventId
        reconnects++
        attempt++
        emit([{ kind: 'reconnect', ...base(), reconnectAttempt: reconnects, delayMs: 0, lastEventId }])
        continue
      }
      consecutiveFailures = end.cause === 'eof' && end.hasOpened ? 0 : consecutiveFailures + 1
      // A transient refusal (429, 503…) is asked again only when the policy says so: EventSource does not.
      const isRetriedRefusal =
        policy.isRetryingHttpErrors === true &&
        end.cause === 'http-status' &&
        isTransientStatus(end.status ?? 0)
      const isReconnectable = end.cause === 'eof' || end.cause === 'network' || isRetriedRefusal
      const willReconnect = !isClosed && isReconnectable && mayReconnect(policy, reconnects)
      const limitNote =
        isReconnectable && !willReconnect && !isClosed && policy.isEnabled
          ? ` (reconnect limit of ${policy.maxAttempts} reached)`
          : ''
      emit([{ kind: 'close', ...base(), cause: end.cause, willReconnect, message: end.message + limitNote }])
      if (!willReconnect) {
        finish({ cause: end.cause, message: end.message + limitNote })
        return
      }
      const delayMs =
        (isRetriedRefusal ? end.retryAfterMs : undefined) ??
        reconnectDelayMs(policy, retryMs, Math.max(0, consecutiveFailures - 1), random)
      reconnects++
      attempt++
      const reconnect: ReconnectRecord = {
        kind: 'reconnect',
        ...base(),
        reconnectAttempt: reconnects,
        delayMs,
        lastEventId,
      }
      const storm = stormWarningAfter(reconnect)
      emit(storm ? [reconnect, { ...storm, seq: nextSeq() }] : [reconnect])
      await waitMs(delayMs)
      if (isClosed) {
        emit([{ kind: 'close', ...base(), cause: 'aborted', willReconnect: false, message: closeReason }])
        finish({ cause: 'aborted', message: closeReason })
        return
      }
      const manualDuringWait = pendingManualReconnect as { lastEventId?: string } | undefined
      pendingManualReconnect = undefined
      if (manualDuringWait?.lastEventId !== undefined) lastEventId = manualDuringWait.lastEventId
    }
  }

  let done = new Promise<StreamOutcome>((resolve) => (resolveDone = resolve))
  const finish = (outcome: StreamOutcome) => {
    isRunning = false
    resolveDone(outcome)
  }

  const start = () => {
    run().catch((thrown: unknown) => {
      // A bug in a record consumer must not leave the stream hanging: report it and end.
      const message = `internal error: ${thrown instanceof Error ? thrown.message : String(thrown)}`
      try {
        emit([{ kind: 'close', ...base(), cause: 'network', willReconnect: false, message }])
      } finally {
        finish({ cause: 'network', message })
      }
    })
  }
  start()

  return {
    close(reason = 'closed by the user') {
      if (isClosed) return
      isClosed = true
      closeReason = reason
      abortAttempt?.()
      cancelWait?.()
    },
    reconnect(options = {}) {
      if (isClosed) return
      if (!isRunning) {
        if (options.lastEventId !== undefined) lastEventId = options.lastEventId
        reconnects++
        attempt++
        emit([{ kind: 'reconnect', ...base(), reconnectAttempt: reconnects, delayMs: 0, lastEventId }])
        done = new Promise<StreamOutcome>((resolve) => (resolveDone = resolve))
        start()
        return
      }
      pendingManualReconnect = options
      abortAttempt?.()
      cancelWait?.()
    },
    get done() {
      return done
    },
    get lastEventId() {
      return lastEventId
    },
  }
}

/** How much of a refused response's body is read, and how long for. */
const REFUSED_BODY_MAX_BYTES = 16 * 1024
const REFUSED_BODY_WAIT_MS = 500
/**
 * [spec] "if res's status is not 200, or if res's Content-Type is not text/event-stream, fail the
 * connection." Why a response opens no stream, if it does not; a recording's loader asks it too.
 */
export function refusalOf(
  response: Pick<FetchResponse, 'status' | 'statusText' | 'headers'>,
): { cause: CloseCause; code?: ErrorCode; message: string } | undefined {
  if (response.status === 204) {
    return {
      cause: 'no-content',
      message: 'HTTP 204 No Content: the server asks the client not to reconnect',
    }
  }
  if (response.status !== 200) {
    const text = response.statusText ? ` ${response.statusText}` : ''
    // A rate limit or an outage may say when to come back (EventSource does not; a person might).
    const retryAfter = headerValue(response.headers, 'retry-after')
    const when = retryAfter ? ` (Retry-After: ${retryAfter}${/^\d+$/.test(retryAfter) ? ' s' : ''})` : ''
    return {
      cause: 'http-status',
      code: 'http-status',
      message: `HTTP ${response.status}${text}${when}: only 200 opens a stream`,
    }
  }
  const contentType = headerValue(response.headers, 'content-type')
  if (mediaTypeEssence(contentType) !== 'text/event-stream') {
    const shown =
      contentType === undefined ? 'no Content-Type' : `Content-Type ${JSON.stringify(contentType)}`
    return {
      cause: 'content-type',
      code: 'content-type',
      message: `${shown}: a stream must be text/event-stream`,
    }
  }
  return undefined
}

/** A redirect as the open record keeps it: its head's Set-Cookie values only, not all its headers. */
function redirectRecordOf({ status, url, location, headers }: RedirectHop): RedirectRecord {
  const setCookies = headers.filter(([name]) => name.toLowerCase() === 'set-cookie').map(([, value]) => value)
  return { status, url, location, ...(setCookies.length > 0 ? { setCookies } : {}) }
}
