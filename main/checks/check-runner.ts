import { CookieJar } from '../../shared/sse/cookie-jar.ts'
import { OBSERVATION_LIMIT, type CheckRun, type ObservationLimit } from '../../shared/checks/check-run.ts'
import { analyzeRun, wasReached } from '../../shared/checks/analyze-run.ts'
import type { Finding } from '../../shared/checks/finding.ts'
import { observedIds } from '../../shared/checks/id-checks.ts'
import { openStream } from '../../shared/sse/open-stream.ts'
import type { StreamRecord } from '../../shared/sse/stream-records.ts'
import type { HeaderEntry, StreamRequest } from '../../shared/sse/stream-request.ts'
import { describeTransportError } from '../../shared/sse/fetch-like.ts'
import { preflightOf, type PreflightAnswer, type PreflightAsk } from '../../shared/checks/cors-preflight.ts'
import { nodeStreamDeps } from '../net/node-stream-deps.ts'

export type CheckOptions = {
  /** The main observation (default 6 s). */
  durationMs?: number
  /** Opt-in: keep one more connection open this long to see idle timeouts. */
  idleMs?: number
  /** Send this Origin and check CORS for it. */
  origin?: string
  /** How long the resume probe waits for its first event (default 3 s). */
  resumeWaitMs?: number
  onProgress?: (step: string) => void
  /** Stops the run early: what was seen so far is analysed, the probes not yet begun are skipped. */
  signal?: AbortSignal
  /** What each observation keeps at most (default OBSERVATION_LIMIT; tests set less). */
  limit?: ObservationLimit
}

export type CheckReport = { url: string; isReachable: boolean; findings: Finding[]; run: CheckRun }

type Observation = { records: StreamRecord[]; elapsedMs: number; isLimitReached: boolean }

/**
 * One connection, no reconnects, until `maxMs`, until `isDone` says enough, until `signal` stops it,
 * or until it has kept as much as `limit` allows.
 */
async function observe(
  request: StreamRequest,
  maxMs: number,
  signal: AbortSignal | undefined,
  limit: ObservationLimit,
  isDone: (records: StreamRecord[]) => boolean = () => false,
): Promise<Observation> {
  const { deps, close } = nodeStreamDeps(request.transport)
  const startedMs = performance.now()
  const records: StreamRecord[] = []
  let bodyBytes = 0
  let isLimitReached = false
  const stream = openStream({ ...request, reconnect: { isEnabled: false } }, deps, (batch) => {
    for (const record of batch) {
      records.push(record)
      if (record.kind === 'chunk') bodyBytes += record.bytes.length
    }
    if (!isLimitReached && (records.length >= limit.records || bodyBytes >= limit.bodyBytes)) {
      isLimitReached = true
      stream.close()
    }
    if (isDone(records)) stream.close()
  })
  const stop = () => stream.close('stopped by the user')
  const timer = setTimeout(() => stream.close(), maxMs)
  signal?.addEventListener('abort', stop)
  if (signal?.aborted) stop()
  try {
    await stream.done
    return { records, elapsedMs: Math.min(maxMs, performance.now() - startedMs), isLimitReached }
  } finally {
    clearTimeout(timer)
    signal?.removeEventListener('abort', stop)
    await close()
  }
}

/** Runs the conformance checks against one endpoint: observation, resume probe, optional idle watch. */
export async function runChecks(request: StreamRequest, options: CheckOptions = {}): Promise<CheckReport> {
  const durationMs = options.durationMs ?? 6000
  const progress = options.onProgress ?? (() => {})
  const withOrigin: StreamRequest = options.origin
    ? {
        ...request,
        headers: [
          ...(request.headers ?? []).filter(([n]) => n.toLowerCase() !== 'origin'),
          ['Origin', options.origin],
        ],
      }
    : request

  const { signal } = options
  const limit = options.limit ?? OBSERVATION_LIMIT
  progress(`observing the stream for ${durationMs / 1000} s`)
  const observation = await observe(withOrigin, durationMs, signal, limit)
  const { records } = observation
  const run: CheckRun = {
    url: request.url,
    records,
    durationMs: observation.elapsedMs,
    origin: options.origin,
  }
  if (observation.isLimitReached) run.isLimitReached = true
  if (signal?.aborted) run.isStoppedEarly = true
  if (!run.records.some((r) => r.kind === 'open')) {
    return { url: request.url, isReachable: wasReached(run), findings: analyzeRun(run), run }
  }

  // A page's fetch with a bearer token or JSON is preflighted: without a yes to that, it is never sent.
  const ask = options.origin ? preflightOf(request) : undefined
  if (ask && options.origin && !signal?.aborted) {
    progress(`asking the preflight a browser sends (OPTIONS for ${ask.method})`)
    run.preflight = { ask, answer: await askPreflight(request, options.origin, ask) }
  }

  // The probes below are new connections: with --keep-cookies they carry the cookies the observation
  // was given, as a browser's reconnect would (an affinity cookie sends them to the same backend).
  const probe = withCookiesFrom(withOrigin, records)
  const ids = observedIds(run)
  if (ids.length > 0 && !signal?.aborted) {
    // Resume from the second-to-last id, so the event that must come next is one we saw.
    const sentId = ids.length >= 2 ? ids[ids.length - 2]! : ids[0]!
    progress(`reconnecting with Last-Event-ID: ${sentId}`)
    const resume = await observe(
      { ...probe, lastEventId: sentId },
      options.resumeWaitMs ?? 3000,
      signal,
      limit,
      (seen) => seen.some((r) => r.kind === 'event'),
    )
    if (!signal?.aborted) run.resume = { sentId, records: resume.records } // half a probe proves nothing
  }
  if (options.idleMs !== undefined && !signal?.aborted) {
    progress(`watching one connection for ${options.idleMs / 1000} s for idle timeouts`)
    const idle = await observe(probe, options.idleMs, signal, limit)
    run.idle = { records: idle.records, durationMs: idle.elapsedMs }
    if (idle.isLimitReached) run.idle.isLimitReached = true
  }
  if (signal?.aborted) run.isStoppedEarly = true
  return { url: request.url, isReachable: true, findings: analyzeRun(run), run }
}

/** How long a preflight may take: browsers give up on one sooner than on a stream. */
const PREFLIGHT_TIMEOUT_MS = 10_000

/** Sends the preflight a browser would (no cookies, no credentials, the page's Origin) and reads its head. */
async function askPreflight(
  request: StreamRequest,
  origin: string,
  ask: PreflightAsk,
): Promise<PreflightAnswer> {
  const { deps, close } = nodeStreamDeps(request.transport)
  const signal = AbortSignal.timeout(PREFLIGHT_TIMEOUT_MS)
  const headers: HeaderEntry[] = [
    ['Origin', origin],
    ['Access-Control-Request-Method', ask.method],
  ]
  if (ask.headers.length > 0) headers.push(['Access-Control-Request-Headers', ask.headers.join(',')])
  try {
    const response = await deps.fetch(request.url, { method: 'OPTIONS', headers, signal })
    response.cancel()
    // [fetch] A preflight that is redirected fails: the browser does not follow it.
    const hop = response.redirects?.[0]
    if (hop) return { redirect: { status: hop.status, location: hop.location } }
    return { status: response.status, headers: response.headers }
  } catch (error) {
    return { error: describeTransportError(error).message }
  } finally {
    await close()
  }
}

/** The request with the cookies the records' responses set, when it keeps cookies across reconnects. */
function withCookiesFrom(request: StreamRequest, records: readonly StreamRecord[]): StreamRequest {
  if (!request.reconnect?.isKeepingCookies) return request
  const headers = CookieJar.fromResponses(records).addTo(request.headers ?? [], request.url, Date.now())
  return { ...request, headers }
}
