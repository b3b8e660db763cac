import { percentile } from '../checks/check-run.ts'

/** The parts of a row the statistics read (live rows and recordings alike). */
export type StatsRow =
  | { kind: 'event'; atMs: number; type: string; data: string; id?: string; attempt: number }
  | {
      kind: 'comment' | 'retry' | 'warning' | 'reconnect' | 'request' | 'open' | 'close' | 'error'
      atMs: number
      attempt: number
    }

export type Histogram = { upToMs: number; count: number }[]

/** One stream's SLIs: what arrived, how big, how regular, how it broke. */
export type StreamStats = {
  events: number
  /** Event types by how many events had them, most first (ties: first seen first). */
  eventsByType: { type: string; count: number }[]
  sizeBytes: { min: number; median: number; max: number; total: number }
  interArrivalMs: { median: number; p95: number; max: number; histogram: Histogram }
  longestSilenceMs: number
  /** From the first request to its response's headers, and to the first event (undefined until then). */
  firstResponseMs: { headers?: number; event?: number }
  comments: number
  warnings: number
  reconnects: number
  ids: { withId: number; duplicates: number; gaps: number; missing: number }
}

const BUCKETS_MS = [1, 5, 10, 50, 100, 500, 1000, 5000, 15_000, 60_000, Infinity]

/** Statistics over a stream's rows. */
export function computeStats(rows: Iterable<StatsRow>): StreamStats {
  const encoder = new TextEncoder()
  // A Map: types come from the wire, and "constructor" or "__proto__" are types like any other.
  const eventsByType = new Map<string, number>()
  const sizes: number[] = []
  const gaps: number[] = []
  const seenIds = new Set<string>()
  let events = 0
  let comments = 0
  let warnings = 0
  let reconnects = 0
  let withId = 0
  let duplicates = 0
  let idGaps = 0
  let missing = 0
  let lastEventAtMs: number | undefined
  let lastAnyAtMs: number | undefined
  let longestSilenceMs = 0
  let lastNumericId: number | undefined
  let requestAtMs: number | undefined
  const firstResponseMs: StreamStats['firstResponseMs'] = {}
  for (const row of rows) {
    if (lastAnyAtMs !== undefined) longestSilenceMs = Math.max(longestSilenceMs, row.atMs - lastAnyAtMs)
    lastAnyAtMs = row.atMs
    switch (row.kind) {
      case 'request':
        requestAtMs ??= row.atMs
        break
      case 'open':
        if (requestAtMs !== undefined) firstResponseMs.headers ??= row.atMs - requestAtMs
        break
      case 'event': {
        if (requestAtMs !== undefined) firstResponseMs.event ??= row.atMs - requestAtMs
        events++
        eventsByType.set(row.type, (eventsByType.get(row.type) ?? 0) + 1)
        // Byte length without allocating for ASCII data (the common case).
        sizes.push(/^[\x20-\x7e]*$/.test(row.data) ? row.data.length : encoder.encode(row.data).length)
        if (lastEventAtMs !== undefined) gaps.push(row.atMs - lastEventAtMs)
        lastEventAtMs = row.atMs
        if (row.id !== undefined && row.id !== '') {
          withId++
          if (seenIds.has(row.id)) duplicates++
          seenIds.add(row.id)
          if (/^\d+$/.test(row.id)) {
            const n = Number(row.id)
            if (lastNumericId !== undefined && n > lastNumericId + 1) {
              idGaps++
              missing += n - lastNumericId - 1
            }
            lastNumericId = Math.max(lastNumericId ?? n, n)
          }
        }
        break
      }
      case 'comment':
        comments++
        break
      case 'warning':
        warnings++
        break
      case 'reconnect':
        reconnects++
        break
    }
  }
  sizes.sort((a, b) => a - b)
  gaps.sort((a, b) => a - b)
  const histogram: Histogram = BUCKETS_MS.map((upToMs) => ({ upToMs, count: 0 }))
  let bucket = 0
  for (const gap of gaps) {
    while (gap > BUCKETS_MS[bucket]!) bucket++
    histogram[bucket]!.count++
  }
  return {
    events,
    eventsByType: [...eventsByType]
      .map(([type, count]) => ({ type, count }))
      .sort((a, b) => b.count - a.count),
    sizeBytes: {
      min: sizes[0] ?? 0,
      median: percentile(sizes, 0.5) || 0,
      max: sizes.at(-1) ?? 0,
      total: sizes.reduce((n, s) => n + s, 0),
    },
    interArrivalMs: {
      median: percentile(gaps, 0.5) || 0,
      p95: percentile(gaps, 0.95) || 0,
      max: gaps.at(-1) ?? 0,
      histogram,
    },
    longestSilenceMs,
    firstResponseMs,
    comments,
    warnings,
    reconnects,
    ids: { withId, duplicates, gaps: idGaps, missing },
  }
}
