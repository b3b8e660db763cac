import type { IncomingMessage, ServerResponse } from 'node:http'

/**
 * Which web pages may read a replay server's streams: a client under test is often a page in a browser
 * (an EventSource, a fetch of an LLM stream), served from another origin than the replay server's.
 * Pages served from this machine (localhost, 127.0.0.1, [::1], any port) may always; others only when
 * named (`*`: any). A page of any other site gets no CORS headers, so its browser keeps the recording
 * (which may hold what the stream carried) from it.
 */
export type ReplayCors = { origins?: readonly string[] }

const LOOPBACK_ORIGIN = /^https?:\/\/(?:localhost|127\.0\.0\.1|\[::1\])(?::\d+)?$/i

function allowedOrigin(request: IncomingMessage, cors: ReplayCors): string | undefined {
  const origin = request.headers.origin
  if (!origin || origin === 'null') return undefined
  const named = cors.origins ?? []
  return LOOPBACK_ORIGIN.test(origin) || named.includes('*') || named.includes(origin) ? origin : undefined
}

/**
 * CORS headers for a replayed response (they replace any the recording has: those named the recorded
 * server's own site). Credentials are allowed, as an EventSource `withCredentials` needs, so the
 * origin is named rather than `*`.
 */
export function corsHeadersFor(request: IncomingMessage, cors: ReplayCors): Record<string, string> {
  const origin = allowedOrigin(request, cors)
  if (!origin) return {}
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    'access-control-expose-headers': '*',
    vary: 'Origin',
  }
}

/**
 * Answers a CORS preflight (OPTIONS with Access-Control-Request-Method) if `request` is one: 204, with
 * what it asked for allowed when its origin may read. A preflight is not a client's request for the
 * stream, so it is never replayed (nor counts as an attempt). Returns whether it answered.
 */
export function answerPreflight(
  request: IncomingMessage,
  response: ServerResponse,
  cors: ReplayCors,
): boolean {
  if (request.method !== 'OPTIONS' || !request.headers['access-control-request-method']) return false
  const headers = corsHeadersFor(request, cors)
  if (headers['access-control-allow-origin']) {
    headers['access-control-allow-methods'] = request.headers['access-control-request-method']
    const asked = request.headers['access-control-request-headers']
    if (asked) headers['access-control-allow-headers'] = asked
    headers['access-control-max-age'] = '600'
    // A site on the internet reaching this machine: Chrome asks first (Private Network Access).
    if (request.headers['access-control-request-private-network'] === 'true')
      headers['access-control-allow-private-network'] = 'true'
  }
  response.writeHead(204, headers).end()
  return true
}

/** Recorded headers a replay leaves out when it sends its own CORS headers. */
export const isCorsHeader = (name: string): boolean => /^access-control-|^vary$/i.test(name)
