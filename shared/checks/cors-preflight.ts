import type { HeaderEntry, StreamRequest } from '../sse/stream-request.ts'

/** What a browser asks (OPTIONS) before it sends a request from a page of another origin. */
export type PreflightAsk = { method: string; headers: string[] }

/** What the preflight got back: an answer, a redirect (which fails it), or why it got nothing. */
export type PreflightAnswer =
  | { status: number; headers: readonly HeaderEntry[] }
  | { redirect: { status: number; location: string } }
  | { error: string }

// [fetch] "CORS-safelisted method": GET, HEAD, POST.
const SAFELISTED_METHODS = new Set(['GET', 'HEAD', 'POST'])
// [fetch] "CORS-safelisted request-header" names (their values bounded; Content-Type's limited below).
const SAFELISTED_HEADERS = new Set(['accept', 'accept-language', 'content-language', 'content-type'])
const SAFELISTED_CONTENT_TYPES = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
])
// Sent by the engine (as EventSource sends them) or by the browser itself: a page's code does not set them.
const NOT_THE_PAGES = new Set(['origin', 'cache-control', 'last-event-id', 'host', 'content-length'])

/**
 * The preflight a browser sends before this request from another origin's page (a fetch with these
 * headers: an LLM chat page posting JSON with a bearer token), or undefined when it sends none (an
 * EventSource's GET).
 */
export function preflightOf(request: StreamRequest): PreflightAsk | undefined {
  const method = (request.method ?? 'GET').toUpperCase()
  const unsafe = (request.headers ?? [])
    .filter(([name, value]) => {
      const lower = name.toLowerCase()
      if (NOT_THE_PAGES.has(lower)) return false
      if (lower === 'content-type')
        return !SAFELISTED_CONTENT_TYPES.has(value.split(';')[0]!.trim().toLowerCase())
      return !SAFELISTED_HEADERS.has(lower)
    })
    .map(([name]) => name.toLowerCase())
  const headers = [...new Set(unsafe)].sort()
  if (SAFELISTED_METHODS.has(method) && headers.length === 0) return undefined
  return { method, headers }
}

/** A comma-separated CORS list as lowercase names (`*` kept). */
const listOf = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean)

/**
 * What in the preflight's answer lets the request through, or why not: the browser then never sends
 * the request. [fetch] `*` allows any method or header but Authorization, and none with credentials.
 */
export function preflightRefusal(
  ask: PreflightAsk,
  answer: PreflightAnswer,
  origin: string,
): string | undefined {
  if ('error' in answer) return `it got no answer: ${answer.error}`
  if ('redirect' in answer)
    return `it was redirected (${answer.redirect.status} to ${answer.redirect.location}), which a browser does not follow for a preflight`
  if (answer.status < 200 || answer.status > 299) return `it was answered ${answer.status}, not 2xx`
  const value = (name: string) => answer.headers.find(([n]) => n.toLowerCase() === name)?.[1]
  const allowOrigin = value('access-control-allow-origin')
  if (allowOrigin !== origin && allowOrigin !== '*')
    return `its Access-Control-Allow-Origin is ${allowOrigin === undefined ? 'missing' : JSON.stringify(allowOrigin)}, not ${origin}`
  const methods = listOf(value('access-control-allow-methods'))
  if (
    !SAFELISTED_METHODS.has(ask.method) &&
    !methods.includes(ask.method.toLowerCase()) &&
    !methods.includes('*')
  )
    return `it does not allow the method ${ask.method} (Access-Control-Allow-Methods: ${value('access-control-allow-methods') ?? 'missing'})`
  const allowed = listOf(value('access-control-allow-headers'))
  const missing = ask.headers.filter(
    (name) => !allowed.includes(name) && !(allowed.includes('*') && name !== 'authorization'),
  )
  if (missing.length > 0)
    return `it does not allow the header${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (Access-Control-Allow-Headers: ${value('access-control-allow-headers') ?? 'missing'})`
  return undefined
}
