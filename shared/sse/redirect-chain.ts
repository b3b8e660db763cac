import type { OpenRecord } from './stream-records.ts'

/**
 * "302 http://h/a → 308 http://h/b → http://h/c": each redirect's status and the URL it came from, then
 * where the chain ended. Recordings made before redirects were kept say only where it ended.
 */
export function redirectChain(
  open: Pick<OpenRecord, 'redirects' | 'url'>,
  showUrl: (url: string) => string,
): string {
  const hops = (open.redirects ?? []).map((hop) => `${hop.status} ${showUrl(hop.url)}`)
  return [...hops, showUrl(open.url)].join(' → ')
}
