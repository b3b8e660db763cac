/** Statuses a server sends for "not now" rather than "not here": curl's --retry retries these too. */
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504])

/** Whether a refused response is worth asking again (a rate limit, an outage, a gateway's timeout). */
export const isTransientStatus = (status: number): boolean => TRANSIENT_STATUSES.has(status)

/**
 * How long a Retry-After header asks a client to wait, from `nowMs` (wall clock): delay-seconds, or an
 * HTTP date (RFC 9110 §10.2.3). Undefined when there is none or it cannot be read; a date past is 0.
 */
export function retryAfterMsOf(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  // Only a date with a weekday and GMT, as the RFC writes them (Date.parse reads "5" as a year too).
  if (!/^[A-Za-z]{3},? .*GMT$/.test(text)) return undefined
  const atMs = Date.parse(text)
  return Number.isNaN(atMs) ? undefined : Math.max(0, atMs - nowMs)
}
