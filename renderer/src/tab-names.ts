import { redactUrl } from '../../shared/redact-headers.ts'

/** What a tab names: a connection's request, or the recording it replays. */
export type TabSubject = { method?: string; url: string; recordingName?: string }

function pathOf(url: string): { path: string; query: string } {
  try {
    const parsed = new URL(redactUrl(url)) // a token in the query is not shown on a tab
    return { path: parsed.pathname, query: parsed.search }
  } catch {
    return { path: url, query: '' }
  }
}

/** The query's parameters ("k=v") that not every one of `queries` has: what tells them apart. */
function distinctParams(query: string, queries: readonly string[]): string {
  const paramsOf = (q: string) => (q.length > 1 ? q.slice(1).split('&') : [])
  const shared = paramsOf(queries[0]!).filter((param) => queries.every((q) => paramsOf(q).includes(param)))
  const own = paramsOf(query).filter((param) => !shared.includes(param))
  return own.length > 0 ? `?${own.join('&')}` : ''
}

/**
 * Tab names, in order: "GET /path"; where other tabs have the same method and path (twenty tabs of
 * "GET /ticker" could not be told apart), the query parameters they do not all share ("GET
 * /ticker?tab=3"); a number where even those are the same.
 */
export function tabNames(subjects: readonly TabSubject[]): string[] {
  const short = subjects.map((s) =>
    s.recordingName ? `Replay: ${s.recordingName}` : `${s.method ?? 'GET'} ${pathOf(s.url).path}`,
  )
  const long = subjects.map((s, i) => {
    const sameName = subjects.filter((_, j) => short[j] === short[i])
    if (s.recordingName || sameName.length === 1) return short[i]!
    const queries = sameName.map((other) => pathOf(other.url).query)
    return `${short[i]}${distinctParams(pathOf(s.url).query, queries)}`
  })
  const seen = new Map<string, number>()
  return long.map((name) => {
    const count = (seen.get(name) ?? 0) + 1
    seen.set(name, count)
    return count === 1 ? name : `${name} (${count})`
  })
}
