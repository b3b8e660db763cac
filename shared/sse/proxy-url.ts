import { withDefaultScheme } from './default-scheme.ts'

/** The proxies the transport speaks: HTTP (forward and CONNECT), HTTPS, and SOCKS5 (names resolved by the proxy). */
const PROXY_PROTOCOLS = new Set(['http:', 'https:', 'socks5:', 'socks5h:'])

/** Whether a proxy URL names a SOCKS5 proxy (socks5:// or socks5h://: either way the proxy resolves names). */
export const isSocksProxy = (url: URL): boolean => url.protocol === 'socks5:' || url.protocol === 'socks5h:'

/** A proxy URL (http:// when it names no scheme, as curl reads one), or throws with the reason (for the CLI and the API to word as their own). */
export function parseProxyUrl(raw: string): URL {
  let url: URL
  try {
    url = new URL(withDefaultScheme(raw))
  } catch {
    throw new Error(`the proxy URL is not valid: ${JSON.stringify(raw.slice(0, 200))}`)
  }
  if (!PROXY_PROTOCOLS.has(url.protocol))
    throw new Error(
      `the proxy URL must start with http://, https://, socks5:// or socks5h:// (got ${url.protocol}//)`,
    )
  if (url.hostname === '') throw new Error(`the proxy URL has no host: ${JSON.stringify(raw.slice(0, 200))}`)
  return url
}
