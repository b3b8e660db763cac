import type { CheckRun } from './check-run.ts'
import { CHECK_ORDER, type Finding } from './finding.ts'
import {
  cacheControlCheck,
  compressionCheck,
  contentLengthCheck,
  contentTypeCheck,
  openOf,
  statusCheck,
} from './header-checks.ts'
import { corsCheck } from './cors-check.ts'
import { framingCheck } from './framing-check.ts'
import { tlsCheck } from './tls-check.ts'
import { proxiesSeen, withSeenFixesFirst } from './proxies-seen.ts'
import { idsCheck, resumeCheck, retryCheck } from './id-checks.ts'
import { bufferingCheck, heartbeatCheck, idleTimeoutCheck, streamEndCheck } from './timing-checks.ts'

const CHECKS = {
  status: statusCheck,
  tls: tlsCheck,
  'content-type': contentTypeCheck,
  'cache-control': cacheControlCheck,
  compression: compressionCheck,
  'content-length': contentLengthCheck,
  buffering: bufferingCheck,
  heartbeat: heartbeatCheck,
  'stream-end': streamEndCheck,
  'idle-timeout': idleTimeoutCheck,
  ids: idsCheck,
  resume: resumeCheck,
  retry: retryCheck,
  framing: framingCheck,
  cors: corsCheck,
} satisfies Record<(typeof CHECK_ORDER)[number], (run: CheckRun) => Finding>

/**
 * Every check over one run, in the stable order. Pure: records in, findings out. The fixes for a server
 * or proxy the response names come first (proxies-seen.ts).
 */
export function analyzeRun(run: CheckRun): Finding[] {
  const seen = proxiesSeen(openOf(run)?.headers ?? [])
  return CHECK_ORDER.map((id) => withSeenFixesFirst(CHECKS[id](run), seen))
}

/** Whether the endpoint was reached: it answered, or at least accepted the connection without an error. */
export function wasReached(run: CheckRun): boolean {
  return openOf(run) !== undefined || !run.records.some((r) => r.kind === 'error')
}
