import { withDefaultScheme } from '../../shared/sse/default-scheme.ts'

/**
 * The proxy the environment asks for a URL, as curl and most HTTP tools read it: `https_proxy` for
 * https:// URLs, `http_proxy` for http:// (either case), `all_proxy` for both, and `no_proxy` to go
 * direct (comma- or space-separated hosts or domain suffixes, optionally with a port; `*` for all).
 * Loopback addresses always go direct, as in browsers: a local dev server is never behind the proxy.
 */
export function environmentProxyFor(
  url: string,
  env: Record<string, string | undefined>,
  /** Replaces the environment's no_proxy (curl's --noproxy). */
  noProxy?: string,
): string | undefined {
  let target: URL
  try {
    target = new URL(url)
  } catch {
    return undefined
  }
  const read = (name: string) => env[name.toLowerCase()] || env[name.toUpperCase()] || undefined
  const proxy = (target.protocol === 'https:' ? read('https_proxy') : read('http_proxy')) ?? read('all_proxy')
  if (!proxy) return undefined
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  const exclusions = noProxy ?? read('no_proxy')
  if (isLoopback(host) || isExcluded(host, target.port || defaultPort(target.protocol), exclusions)) {
    return undefined
  }
  return withDefaultScheme(proxy)
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : '80'
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host)
}

function isExcluded(host: string, port: string, noProxy: string | undefined): boolean {
  if (!noProxy) return false
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase()
    if (!entry) continue
    if (entry === '*') return true
    const portMatch = /^(.*):(\d+)$/.exec(entry)
    if (portMatch && portMatch[2] !== port) continue
    const domain = (portMatch ? portMatch[1]! : entry).replace(/^\*?\./, '')
    if (host === domain || host.endsWith(`.${domain}`)) return true
  }
  return false
}
