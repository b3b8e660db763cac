import type { StreamRecord } from './stream-records.ts'
import type { HeaderEntry } from './stream-request.ts'

// [RFC 6265 §6.1] 4096 bytes a cookie and 50 cookies a domain, as browsers keep at least; more is
// dropped, so a hostile server cannot grow the requests without bound.
const MAX_COOKIE_BYTES = 4096
const MAX_COOKIES = 50

type Cookie = {
  name: string
  value: string
  /** The host that set it (host-only), or its Domain attribute: it and its subdomains. */
  domain: string
  isHostOnly: boolean
  path: string
  isSecure: boolean
  /** Infinity for a session cookie. */
  expiresAtMs: number
}

/**
 * The cookies a stream's responses set, sent back on its reconnects and redirects, as a browser's cookie
 * jar does for an EventSource (a load balancer's affinity cookie keeps a resumed stream on the backend
 * that knows its Last-Event-ID; a login redirect's session cookie goes on to the stream). RFC 6265 as
 * browsers apply it: Domain, Path, Secure, Max-Age and Expires decide which request gets which cookie.
 * Without a public-suffix list, a Domain attribute naming a public suffix (`Domain=com`) is not refused:
 * the jar only ever serves one stream's requests.
 */
export class CookieJar {
  /** By name, domain and path (a cookie's identity); in the order set, oldest first. */
  private readonly cookies = new Map<string, Cookie>()

  /** Takes the Set-Cookie headers of a response from `url`: new values replace old ones, expired go. */
  take(headers: readonly HeaderEntry[], url: string, nowMs: number): void {
    const target = parseUrl(url)
    if (!target) return
    for (const [name, value] of headers) {
      if (name.toLowerCase() !== 'set-cookie') continue
      const cookie = parseSetCookie(value, target, nowMs)
      if (!cookie) continue
      const key = `${cookie.name}\u0000${cookie.domain}\u0000${cookie.path}`
      this.cookies.delete(key) // a new value counts as the newest
      if (cookie.expiresAtMs <= nowMs) continue // [RFC 6265 §5.3 step 11] expired: removed
      this.cookies.set(key, cookie)
      if (this.cookies.size > MAX_COOKIES) this.cookies.delete(this.cookies.keys().next().value!)
    }
  }

  /** The names of the cookies a request to `url` would carry. */
  names(url: string, nowMs: number): string[] {
    return this.matching(url, nowMs).map((cookie) => cookie.name)
  }

  /** A jar holding what the responses among `records` set (their open records and the redirects before them), in order. */
  static fromResponses(records: readonly StreamRecord[]): CookieJar {
    const jar = new CookieJar()
    for (const record of records) {
      if (record.kind !== 'open') continue
      for (const hop of record.redirects ?? [])
        jar.take(
          (hop.setCookies ?? []).map((value) => ['Set-Cookie', value]),
          hop.url,
          record.atMs,
        )
      jar.take(record.headers, record.url, record.atMs)
    }
    return jar
  }

  /** A request's headers for `url` with the jar's cookies in its Cookie header (over the user's of the same name). */
  addTo(headers: readonly HeaderEntry[], url: string, nowMs: number): HeaderEntry[] {
    const cookies = this.matching(url, nowMs)
    if (cookies.length === 0) return [...headers]
    // The user's cookies first, but for names the jar has; then the jar's, all of them (one name on two
    // paths is two cookies, both sent, the longer path first, as browsers do).
    const jarNames = new Set(cookies.map((cookie) => cookie.name))
    const pairs: string[] = []
    const others: HeaderEntry[] = []
    for (const header of headers) {
      if (header[0].toLowerCase() !== 'cookie') others.push(header)
      else
        for (const [name, value] of parseCookieHeader(header[1]))
          if (!jarNames.has(name)) pairs.push(`${name}=${value}`)
    }
    for (const cookie of cookies) pairs.push(`${cookie.name}=${cookie.value}`)
    return [...others, ['Cookie', pairs.join('; ')]]
  }

  /** [RFC 6265 §5.4] The cookies for `url`, longer paths first (then the older first). */
  private matching(url: string, nowMs: number): Cookie[] {
    const target = parseUrl(url)
    if (!target) return []
    return [...this.cookies.values()]
      .filter(
        (cookie) =>
          cookie.expiresAtMs > nowMs &&
          (cookie.isHostOnly ? target.host === cookie.domain : domainMatches(target.host, cookie.domain)) &&
          pathMatches(target.path, cookie.path) &&
          (!cookie.isSecure || target.isSecure),
      )
      .sort((a, b) => b.path.length - a.path.length)
  }
}

type Target = { host: string; path: string; isSecure: boolean }

function parseUrl(url: string): Target | undefined {
  try {
    const { hostname, pathname, protocol } = new URL(url)
    const host = hostname.toLowerCase()
    // Browsers count loopback as a secure context: a Secure cookie works on http://localhost.
    const isLoopback =
      host === 'localhost' || host.endsWith('.localhost') || host === '127.0.0.1' || host === '[::1]'
    return { host, path: pathname || '/', isSecure: protocol === 'https:' || isLoopback }
  } catch {
    return undefined
  }
}

/** [RFC 6265 §5.2, §5.3] One Set-Cookie header, judged for the response's URL; undefined if refused. */
function parseSetCookie(header: string, target: Target, nowMs: number): Cookie | undefined {
  const [pair = '', ...attributes] = header.split(';')
  const equals = pair.indexOf('=')
  if (equals <= 0) return undefined // [§5.2] no name: ignore the cookie
  const name = pair.slice(0, equals).trim()
  const value = pair.slice(equals + 1).trim()
  if (name.length + value.length > MAX_COOKIE_BYTES) return undefined
  let domain = ''
  let path = ''
  let isSecure = false
  let maxAgeS: number | undefined
  let expiresAtMs: number | undefined
  for (const attribute of attributes) {
    const equalsAt = attribute.indexOf('=')
    const key = (equalsAt === -1 ? attribute : attribute.slice(0, equalsAt)).trim().toLowerCase()
    const attributeValue = equalsAt === -1 ? '' : attribute.slice(equalsAt + 1).trim()
    if (key === 'domain') domain = attributeValue.replace(/^\./, '').toLowerCase()
    else if (key === 'path') path = attributeValue
    else if (key === 'secure') isSecure = true
    else if (key === 'max-age' && /^-?\d+$/.test(attributeValue)) maxAgeS = Number(attributeValue)
    else if (key === 'expires' && !Number.isNaN(Date.parse(attributeValue)))
      expiresAtMs = Date.parse(attributeValue)
  }
  // [§5.3 step 6] A Domain the host is not within is refused; none (or empty) makes a host-only cookie.
  if (domain !== '' && !domainMatches(target.host, domain)) return undefined
  // [RFC 6265bis] A Secure cookie only from a secure origin.
  if (isSecure && !target.isSecure) return undefined
  return {
    name,
    value,
    domain: domain || target.host,
    isHostOnly: domain === '',
    path: path.startsWith('/') ? path : defaultPath(target.path),
    isSecure,
    // [§5.2.2] Max-Age wins over Expires; zero or less expires at once.
    expiresAtMs:
      maxAgeS !== undefined ? (maxAgeS <= 0 ? -Infinity : nowMs + maxAgeS * 1000) : (expiresAtMs ?? Infinity),
  }
}

/** [RFC 6265 §5.1.3] The host is the domain, or a subdomain of it (never for an IP address). */
function domainMatches(host: string, domain: string): boolean {
  if (host === domain) return true
  const isIpAddress = /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith('[')
  return !isIpAddress && host.endsWith(`.${domain}`)
}

/** [RFC 6265 §5.1.4] The directory of the request path: "/stream" → "/", "/api/v1/stream" → "/api/v1". */
function defaultPath(path: string): string {
  const lastSlash = path.lastIndexOf('/')
  return lastSlash <= 0 ? '/' : path.slice(0, lastSlash)
}

/** [RFC 6265 §5.1.4] The cookie path is the request path, or a directory above it. */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true
  if (!requestPath.startsWith(cookiePath)) return false
  return cookiePath.endsWith('/') || requestPath.charAt(cookiePath.length) === '/'
}

/** The name=value pairs of a Cookie request header. */
export function parseCookieHeader(value: string): [string, string][] {
  return value
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.includes('='))
    .map((part) => [part.slice(0, part.indexOf('=')).trim(), part.slice(part.indexOf('=') + 1).trim()])
}
