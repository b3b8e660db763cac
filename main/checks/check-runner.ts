import { CookieJar } from '../../shared/sse/cookie-jar.ts'
import type { CheckRun } from '../../shared/checks/check-run.ts'
import { analyzeRun, wasReached } from '../../shared/checks/analyze-run.ts'
import type { Finding } from '../../shared/checks/finding.ts'
import { observedIds } from '../../shared/checks/id-checks.ts'
import { openStream } from '../../shared/sse/open-stream.ts'
import type { StreamRecord } from '../../shared/sse/stream-records.ts'
import type { StreamRequest } from '../../shared/sse/stream-request.ts'
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
}

export type CheckReport = { url: string; isReachable: boolean; findings: Finding[]; run: CheckRun }

/** One connection, no reconnects, until `maxMs` or until `isDone` says enough. */
async function observe(
  request: StreamRequest,
  maxMs: number,
  isDone: (records: StreamRecord[]) => boolean = () => false,
): Promise<StreamRecord[]> {
  const { deps, close } = nodeStreamDeps(request.transport)
  const records: StreamRecord[] = []
  const stream = openStream({ ...request, reconnect: { isEnabled: false } }, deps, (batch) => {
    records.push(...batch)
    if (isDone(records)) stream.close()
  })
  const timer = setTimeout(() => stream.close(), maxMs)
  try {
    await stream.done
    return records
  } finally {
    clearTimeout(timer)
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

  progress(`observing the stream for ${durationMs / 1000} s`)
  const startedMs = performance.now()
  const records = await observe(withOrigin, durationMs)
  const run: CheckRun = {
    url: request.url,
    records,
    durationMs: Math.min(durationMs, performance.now() - startedMs),
    origin: options.origin,
  }
  if (!run.records.some((r) => r.kind === 'open')) {
    return { url: request.url, isReachable: wasReached(run), findings: analyzeRun(run), run }
  }

  // The probes below are new connections: with --keep-cookies they carry the cookies the observation
  // was given, as a browser's reconnect would (an affinity cookie sends them to the same backend).
  const probe = withCookiesFrom(withOrigin, records)
  const ids = observedIds(run)
  if (ids.length > 0) {
    // Resume from the second-to-last id, so the event that must come next is one we saw.
    const sentId = ids.length >= 2 ? ids[ids.length - 2]! : ids[0]!
    progress(`reconnecting with Last-Event-ID: ${sentId}`)
    const resumeRecords = await observe(
      { ...probe, lastEventId: sentId },
      options.resumeWaitMs ?? 3000,
      (seen) => seen.some((r) => r.kind === 'event'),
    )
    run.resume = { sentId, records: resumeRecords }
  }
  if (options.idleMs !== undefined) {
    progress(`watching one connection for ${options.idleMs / 1000} s for idle timeouts`)
    run.idle = { records: await observe(probe, options.idleMs), durationMs: options.idleMs }
  }
  return { url: request.url, isReachable: true, findings: analyzeRun(run), run }
}

/** The request with the cookies the records' responses set, when it keeps cookies across reconnects. */
function withCookiesFrom(request: StreamRequest, records: readonly StreamRecord[]): StreamRequest {
  if (!request.reconnect?.isKeepingCookies) return request
  return { ...request, headers: CookieJar.fromResponses(records).addTo(request.headers ?? []) }
}
