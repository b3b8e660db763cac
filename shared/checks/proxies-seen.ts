import type { HeaderEntry } from '../sse/stream-request.ts'
import type { Finding, Fix } from './finding.ts'

/** A server or proxy the response names (a fix target), and the header that names it, as it was sent. */
export type ProxySeen = { target: string; header: string }

/**
 * What in a response head names a server or proxy that fixes are written for: the headers each adds
 * by default (measured for nginx, Apache, Caddy and Varnish in test/unit/main/checks/; HAProxy adds
 * none). A header names what is in the path, not that it is the culprit: its fix is offered first.
 */
const SIGNS: { target: string; name: string; value: RegExp }[] = [
  { target: 'nginx', name: 'server', value: /^nginx\b/i },
  { target: 'Apache', name: 'server', value: /^Apache\b/i },
  { target: 'Caddy', name: 'server', value: /^Caddy\b/i },
  { target: 'Varnish', name: 'via', value: /\bvarnish\b/i },
  { target: 'Varnish', name: 'x-varnish', value: /./ },
  { target: 'Cloudflare', name: 'server', value: /^cloudflare\b/i },
  { target: 'Cloudflare', name: 'cf-ray', value: /./ },
]

/** The servers and proxies the response headers name, once each, in the order of SIGNS. */
export function proxiesSeen(headers: readonly HeaderEntry[]): ProxySeen[] {
  const seen: ProxySeen[] = []
  for (const sign of SIGNS) {
    if (seen.some((s) => s.target === sign.target)) continue
    const header = headers.find(([name, value]) => name.toLowerCase() === sign.name && sign.value.test(value))
    if (header) seen.push({ target: sign.target, header: `${header[0]}: ${header[1]}` })
  }
  return seen
}

/** The finding with the fixes for what the response names first, each saying which header named it. */
export function withSeenFixesFirst(finding: Finding, seen: readonly ProxySeen[]): Finding {
  if (seen.length === 0 || finding.fixes.length === 0) return finding
  const headerOf = (fix: Fix) => seen.find((s) => s.target === fix.target)?.header
  const first = finding.fixes.filter((fix) => headerOf(fix) !== undefined)
  if (first.length === 0) return finding
  const rest = finding.fixes.filter((fix) => headerOf(fix) === undefined)
  return { ...finding, fixes: [...first.map((fix) => ({ ...fix, seenAs: headerOf(fix) })), ...rest] }
}
