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

export type BadPortAliases = {
  /** The URL to hand fetch: the URL itself, or an alias of it when its port is one fetch refuses. */
  toFetchUrl(url: string): string
  /** The real URL of one fetch reports (a response's final URL). */
  fromFetchUrl(url: string): string
  /** Turns alias origins back into real ones before a request reaches the connection pool. */
  interceptor: Dispatcher.DispatcherComposeInterceptor
}

/**
 * Lets undici's fetch reach any port. fetch refuses a bad port before it dispatches, so such a request
 * goes out under an alias origin (a name under the reserved `.invalid` domain, on the default port) and
 * an interceptor swaps the real origin back in on the way to the pool: the connection, TLS server name
 * and Host header are the real ones. Relative redirects stay under the alias; an absolute redirect to a
 * bad port is still refused by fetch.
 */
export function createBadPortAliases(): BadPortAliases {
  const realByAlias = new Map<string, string>()
  const aliasByReal = new Map<string, string>()
  return {
    toFetchUrl(url) {
      let parsed: URL
      try {
        parsed = new URL(url)
      } catch {
        return url // fetch reports the malformed URL itself
      }
      if (parsed.port === '' || !BAD_PORTS.has(Number(parsed.port))) return url
      let alias = aliasByReal.get(parsed.origin)
      if (!alias) {
        alias = `${parsed.protocol}//port-${parsed.port}-alias-${aliasByReal.size}.sse-inspector.invalid`
        aliasByReal.set(parsed.origin, alias)
        realByAlias.set(alias, parsed.origin)
      }
      return alias + parsed.pathname + parsed.search
    },
    fromFetchUrl(url) {
      for (const [alias, real] of realByAlias)
        if (url.startsWith(alias)) return real + url.slice(alias.length)
      return url
    },
    interceptor: (dispatch) => (options, handler) => {
      const origin = typeof options.origin === 'string' ? options.origin : options.origin?.origin
      const real = origin === undefined ? undefined : realByAlias.get(origin)
      return dispatch(real ? { ...options, origin: real } : options, handler)
    },
  }
}
