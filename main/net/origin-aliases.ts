import type { Dispatcher } from 'undici'

/**
 * The ports fetch refuses to connect to (https://fetch.spec.whatwg.org/#bad-port). Browsers keep pages
 * away from other services there; an inspector must reach whatever the user points it at (a dev
 * server on 6000 or 6667 is not rare).
 */
const BAD_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104,
  109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515,
  526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049,
  3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
])

type Target = { origin: string; host?: string }

export type OriginAliases = {
  /**
   * The URL to hand fetch: the URL itself, or an alias of it when its port is one fetch refuses or the
   * request names its own Host (fetch drops a Host header; platform engineers need it to reach one
   * virtual host by address, as `curl -H 'Host: …'` does).
   */
  toFetchUrl(url: string, host?: string): string
  /** The real URL of one fetch reports (a response's final URL). */
  fromFetchUrl(url: string): string
  /** Turns alias origins back into real ones (with their Host) before a request reaches the pool. */
  interceptor: Dispatcher.DispatcherComposeInterceptor
}

/**
 * Lets undici's fetch reach any port with any Host header. Such a request goes out under an alias
 * origin (a name under the reserved `.invalid` domain, on the default port), and an interceptor swaps
 * the real origin back in on the way to the connection pool: the connection goes to the URL's
 * address, with the Host header asked for (else the URL's). Over HTTPS undici makes that Host the TLS
 * server name too, so the certificate must match it (as with curl --resolve; curl -H 'Host: …' checks
 * the URL's name instead): what reaching one virtual host by address needs. Relative redirects stay
 * under the alias; an absolute redirect to a refused port is still refused by fetch.
 */
export function createOriginAliases(): OriginAliases {
  const targetByAlias = new Map<string, Target>()
  const aliasByKey = new Map<string, string>()
  return {
    toFetchUrl(url, host) {
      let parsed: URL
      try {
        parsed = new URL(url)
      } catch {
        return url // fetch reports the malformed URL itself
      }
      const isBadPort = parsed.port !== '' && BAD_PORTS.has(Number(parsed.port))
      if (!isBadPort && host === undefined) return url
      const key = `${parsed.origin} ${host ?? ''}`
      let alias = aliasByKey.get(key)
      if (!alias) {
        alias = `${parsed.protocol}//alias-${aliasByKey.size}.sse-inspector.invalid`
        aliasByKey.set(key, alias)
        targetByAlias.set(alias, { origin: parsed.origin, host })
      }
      return alias + parsed.pathname + parsed.search
    },
    fromFetchUrl(url) {
      for (const [alias, target] of targetByAlias) {
        if (url.startsWith(alias)) return target.origin + url.slice(alias.length)
      }
      return url
    },
    interceptor: (dispatch) => (options, handler) => {
      const origin = typeof options.origin === 'string' ? options.origin : options.origin?.origin
      const target = origin === undefined ? undefined : targetByAlias.get(origin)
      if (!target) return dispatch(options, handler)
      const headers = target.host === undefined ? options.headers : withHost(options.headers, target.host)
      return dispatch({ ...options, origin: target.origin, headers }, handler)
    },
  }
}

/** fetch hands the dispatcher its headers as a plain object; add Host to whatever shape arrives. */
function withHost(
  headers: Dispatcher.DispatchOptions['headers'],
  host: string,
): Dispatcher.DispatchOptions['headers'] {
  if (Array.isArray(headers)) return [...headers, 'host', host]
  if (headers && typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function') {
    return [
      ...(headers as Iterable<[string, string]>),
      ['host', host],
    ] as Dispatcher.DispatchOptions['headers']
  }
  return { ...(headers as Record<string, string> | undefined), host }
}
