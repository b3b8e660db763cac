import type { HeaderEntry } from '../sse/stream-request.ts'

/** How the response headers of B differ from A's (say, through a proxy vs from the origin). */
export type HeaderChange = { name: string; a: string | null; b: string | null }

// Headers that differ on every response and say nothing about a proxy.
const VOLATILE = new Set([
  'date',
  'age',
  'x-request-id',
  'cf-ray',
  'x-amz-cf-id',
  'server-timing',
  'etag',
  'last-modified',
])

/** Headers added, removed or changed from A to B (names lowercased, repeated headers joined). */
export function diffHeaders(a: readonly HeaderEntry[], b: readonly HeaderEntry[]): HeaderChange[] {
  const collect = (headers: readonly HeaderEntry[]) => {
    const map = new Map<string, string>()
    for (const [name, value] of headers) {
      const key = name.toLowerCase()
      if (VOLATILE.has(key)) continue
      map.set(key, map.has(key) ? `${map.get(key)}, ${value}` : value)
    }
    return map
  }
  const ma = collect(a)
  const mb = collect(b)
  const names = [...new Set([...ma.keys(), ...mb.keys()])].sort()
  return names
    .filter((name) => ma.get(name) !== mb.get(name))
    .map((name) => ({ name, a: ma.get(name) ?? null, b: mb.get(name) ?? null }))
}
