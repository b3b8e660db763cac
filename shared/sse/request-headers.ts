import type { HeaderEntry } from './stream-request.ts'

const DEFAULT_HEADERS: readonly HeaderEntry[] = [
  ['Accept', 'text/event-stream'],
  // [spec] the request's cache mode is "no-store"; on the wire that is what a proxy understands.
  ['Cache-Control', 'no-cache'],
]

/** Whether a header value can be sent: a line break would end the header (or smuggle another), NUL is refused. */
export function isSendableHeaderValue(value: string): boolean {
  return !/[\r\n\0]/.test(value)
}

/** Whether `headers` holds `name` (case-insensitively). */
export function hasHeader(headers: readonly HeaderEntry[], name: string): boolean {
  const lower = name.toLowerCase()
  return headers.some(([n]) => n.toLowerCase() === lower)
}

/** The first value of `name` (case-insensitively), if any. */
export function headerValue(headers: readonly HeaderEntry[], name: string): string | undefined {
  const lower = name.toLowerCase()
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1]
}

/**
 * The headers of one request: the user's, plus Accept and Cache-Control unless the user set them, plus
 * Last-Event-ID when the last event ID string is not empty (replacing any the user set).
 */
export function buildRequestHeaders(user: readonly HeaderEntry[], lastEventId: string): HeaderEntry[] {
  const headers = user.filter(([name]) => name.toLowerCase() !== 'last-event-id' || lastEventId === '')
  headers.unshift(...DEFAULT_HEADERS.filter(([name]) => !hasHeader(user, name)))
  // [spec] "If the event source's last event ID string is not the empty string, set (`Last-Event-ID`,
  // last event ID string, encoded as UTF-8) in request's header list."
  if (lastEventId !== '') headers.push(['Last-Event-ID', lastEventId])
  return headers
}

/**
 * The user and password of a URL (http://user:pass@host/) as curl sends them: a Basic Authorization
 * header (unless the request already has one) and the URL without them, which fetch refuses.
 */
export function withUrlCredentialsMoved(
  url: string,
  headers: readonly HeaderEntry[],
): { url: string; headers: readonly HeaderEntry[] } {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return { url, headers } // fetch says what is wrong with it
  }
  if (!parsed.username && !parsed.password) return { url, headers }
  const decoded = (part: string) => {
    try {
      return decodeURIComponent(part)
    } catch {
      return part
    }
  }
  const login = `${decoded(parsed.username)}:${decoded(parsed.password)}`
  parsed.username = ''
  parsed.password = ''
  if (hasHeader(headers, 'authorization')) return { url: parsed.href, headers }
  return { url: parsed.href, headers: [...headers, ['Authorization', basicAuthorization(login)]] }
}

/** An Authorization value for `user:password`, as curl -u and browsers make it (UTF-8, base64). */
export function basicAuthorization(login: string): string {
  let binary = ''
  for (const byte of new TextEncoder().encode(login)) binary += String.fromCharCode(byte)
  return `Basic ${btoa(binary)}`
}

/**
 * A header value as the bytes HTTP carries: UTF-8, one char per byte (Latin-1 code units), which is how
 * header strings reach the wire. ASCII is unchanged.
 */
export function toWireHeaderValue(value: string): string {
  // eslint-disable-next-line no-control-regex -- a fast check for plain ASCII
  if (/^[\x00-\x7f]*$/.test(value)) return value
  let wire = ''
  for (const byte of new TextEncoder().encode(value)) wire += String.fromCharCode(byte)
  return wire
}

/** The media type essence of a Content-Type value: lowercased, parameters removed. */
export function mediaTypeEssence(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase()
}
