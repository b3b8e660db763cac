import type { StreamRecord } from './stream-records.ts'
import type { HeaderEntry } from './stream-request.ts'

// [RFC 6265 §6.1] 4096 bytes a cookie and 50 cookies a domain, as browsers keep at least; more is
// dropped, so a hostile server cannot grow the requests without bound.
const MAX_COOKIE_BYTES = 4096
const MAX_COOKIES = 50

/**
 * The cookies a stream's responses set, sent back on its reconnects, as a browser's cookie jar does for
 * an EventSource on its own origin (a load balancer's affinity cookie keeps a resumed stream on the
 * backend that knows its Last-Event-ID). One stream, one URL: Domain, Path and Secure are not needed to
 * choose among origins, so only names, values and expiry count.
 */
export class CookieJar {
  private readonly cookies = new Map<string, string>()

  /** Takes a response's Set-Cookie headers: new values replace old ones; an expired cookie is removed. */
  take(headers: readonly HeaderEntry[], nowMs: number): void {
    for (const [name, value] of headers) {
      if (name.toLowerCase() !== 'set-cookie') continue
      const [pair = '', ...attributes] = value.split(';')
      const equals = pair.indexOf('=')
      if (equals <= 0) continue // [RFC 6265 §5.2] no name: ignore the cookie
      const cookieName = pair.slice(0, equals).trim()
      const cookieValue = pair.slice(equals + 1).trim()
      this.cookies.delete(cookieName) // a new value counts as the newest
      if (isExpired(attributes, nowMs) || cookieName.length + cookieValue.length > MAX_COOKIE_BYTES) continue
      this.cookies.set(cookieName, cookieValue)
      if (this.cookies.size > MAX_COOKIES) this.cookies.delete(this.cookies.keys().next().value!)
    }
  }

  /** The names of the cookies the jar would send. */
  names(): string[] {
    return [...this.cookies.keys()]
  }

  /** A jar holding what the responses among `records` set (their open records), in order. */
  static fromResponses(records: readonly StreamRecord[]): CookieJar {
    const jar = new CookieJar()
    for (const record of records) if (record.kind === 'open') jar.take(record.headers, record.atMs)
    return jar
  }

  /** The request's headers with the jar's cookies in its Cookie header (over the user's of the same name). */
  addTo(headers: readonly HeaderEntry[]): HeaderEntry[] {
    if (this.cookies.size === 0) return [...headers]
    const merged = new Map<string, string>()
    const others: HeaderEntry[] = []
    for (const header of headers) {
      if (header[0].toLowerCase() !== 'cookie') others.push(header)
      else for (const [name, value] of parseCookieHeader(header[1])) merged.set(name, value)
    }
    for (const [name, value] of this.cookies) merged.set(name, value)
    const cookie = [...merged].map(([name, value]) => `${name}=${value}`).join('; ')
    return [...others, ['Cookie', cookie]]
  }
}

/** The name=value pairs of a Cookie request header. */
export function parseCookieHeader(value: string): [string, string][] {
  return value
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.includes('='))
    .map((part) => [part.slice(0, part.indexOf('=')).trim(), part.slice(part.indexOf('=') + 1).trim()])
}

/** [RFC 6265 §5.2.2] Max-Age wins over Expires; zero or less, or a date past, removes the cookie. */
function isExpired(attributes: string[], nowMs: number): boolean {
  let expiresAtMs: number | undefined
  for (const attribute of attributes) {
    const [key = '', ...rest] = attribute.split('=')
    const attributeValue = rest.join('=').trim()
    const name = key.trim().toLowerCase()
    if (name === 'max-age' && /^-?\d+$/.test(attributeValue)) return Number(attributeValue) <= 0
    if (name === 'expires') expiresAtMs = Date.parse(attributeValue)
  }
  return expiresAtMs !== undefined && !Number.isNaN(expiresAtMs) && expiresAtMs <= nowMs
}
