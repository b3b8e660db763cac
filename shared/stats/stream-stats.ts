import quickselect from 'quickselect'

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
  const tally = new StreamStatsTally()
  for (const row of rows) tally.add(row)
  return tally.stats()
}

/**
 * The statistics of a stream as its rows arrive: each row is read once, so a live view asks for figures
 * every second at the cost of the rows since (recomputing a million rows took ~700 ms a time).
 */
export class StreamStatsTally {
  private readonly encoder = new TextEncoder()
  // A Map: types come from the wire, and "constructor" or "__proto__" are types like any other.
  private readonly eventsByType = new Map<string, number>()
  /** Events by data size: exact figures without keeping a size per event. */
  private readonly sizeCounts = new Map<number, number>()
  private totalSize = 0
  private gaps = new Float64Array(1024)
  private gapCount = 0
  private maxGap = 0
  private readonly histogram: Histogram = BUCKETS_MS.map((upToMs) => ({ upToMs, count: 0 }))
  private readonly seenIds = new Set<string>()
  private events = 0
  private comments = 0
  private warnings = 0
  private reconnects = 0
  private withId = 0
  private duplicates = 0
  private idGaps = 0
  private missing = 0
  private lastEventAtMs: number | undefined
  private lastAnyAtMs: number | undefined
  private longestSilenceMs = 0
  private lastNumericId: number | undefined
  private requestAtMs: number | undefined
  private readonly firstResponseMs: StreamStats['firstResponseMs'] = {}

  add(row: StatsRow): void {
    if (this.lastAnyAtMs !== undefined)
      this.longestSilenceMs = Math.max(this.longestSilenceMs, row.atMs - this.lastAnyAtMs)
    this.lastAnyAtMs = row.atMs
    switch (row.kind) {
      case 'request':
        this.requestAtMs ??= row.atMs
        break
      case 'open':
        if (this.requestAtMs !== undefined) this.firstResponseMs.headers ??= row.atMs - this.requestAtMs
        break
      case 'event':
        this.addEvent(row)
        break
      case 'comment':
        this.comments++
        break
      case 'warning':
        this.warnings++
        break
      case 'reconnect':
        this.reconnects++
        break
    }
  }

  private addEvent(row: Extract<StatsRow, { kind: 'event' }>): void {
    if (this.requestAtMs !== undefined) this.firstResponseMs.event ??= row.atMs - this.requestAtMs
    this.events++
    this.eventsByType.set(row.type, (this.eventsByType.get(row.type) ?? 0) + 1)
    // Byte length without allocating for ASCII data (the common case).
    const size = /^[\x20-\x7e]*$/.test(row.data) ? row.data.length : this.encoder.encode(row.data).length
    this.sizeCounts.set(size, (this.sizeCounts.get(size) ?? 0) + 1)
    this.totalSize += size
    if (this.lastEventAtMs !== undefined) this.addGap(row.atMs - this.lastEventAtMs)
    this.lastEventAtMs = row.atMs
    if (row.id !== undefined && row.id !== '') {
      this.withId++
      if (this.seenIds.has(row.id)) this.duplicates++
      this.seenIds.add(row.id)
      if (/^\d+$/.test(row.id)) {
        const n = Number(row.id)
        if (this.lastNumericId !== undefined && n > this.lastNumericId + 1) {
          this.idGaps++
          this.missing += n - this.lastNumericId - 1
        }
        this.lastNumericId = Math.max(this.lastNumericId ?? n, n)
      }
    }
  }

  private addGap(gap: number): void {
    if (this.gapCount === this.gaps.length) {
      const grown = new Float64Array(this.gaps.length * 2)
      grown.set(this.gaps)
      this.gaps = grown
    }
    this.gaps[this.gapCount++] = gap
    this.maxGap = Math.max(this.maxGap, gap)
    let bucket = 0
    while (gap > BUCKETS_MS[bucket]!) bucket++
    this.histogram[bucket]!.count++
  }

  /** The figures so far (a snapshot: later rows do not change it). */
  stats(): StreamStats {
    return {
      events: this.events,
      eventsByType: [...this.eventsByType]
        .map(([type, count]) => ({ type, count }))
        .sort((a, b) => b.count - a.count),
      sizeBytes: this.sizeFigures(),
      interArrivalMs: {
        ...this.gapPercentiles(),
        max: this.maxGap,
        histogram: this.histogram.map((bucket) => ({ ...bucket })),
      },
      longestSilenceMs: this.longestSilenceMs,
      firstResponseMs: { ...this.firstResponseMs },
      comments: this.comments,
      warnings: this.warnings,
      reconnects: this.reconnects,
      ids: { withId: this.withId, duplicates: this.duplicates, gaps: this.idGaps, missing: this.missing },
    }
  }

  private sizeFigures(): StreamStats['sizeBytes'] {
    const sizes = [...this.sizeCounts.keys()].sort((a, b) => a - b)
    // The size at rank floor(events / 2) of all events, sizes in order (as percentile() reads a sorted list).
    let median = 0
    for (let i = 0, seen = 0, rank = Math.floor(this.events / 2); i < sizes.length; i++) {
      seen += this.sizeCounts.get(sizes[i]!)!
      if (seen > rank) {
        median = sizes[i]!
        break
      }
    }
    return { min: sizes[0] ?? 0, median, max: sizes.at(-1) ?? 0, total: this.totalSize }
  }

  /** Median and p95 gaps (ranks floor(n·p)), found in linear time on one copy: sorting 1M took ~100 ms. */
  private gapPercentiles(): { median: number; p95: number } {
    if (this.gapCount === 0) return { median: 0, p95: 0 }
    const copy = this.gaps.slice(0, this.gapCount) as unknown as number[]
    const rankOf = (p: number) => Math.min(this.gapCount - 1, Math.floor(this.gapCount * p))
    const [median, p95] = [rankOf(0.5), rankOf(0.95)]
    quickselect(copy, p95)
    quickselect(copy, median, 0, p95) // the smaller ones are left of p95 now
    return { median: copy[median]!, p95: copy[p95]! }
  }
}
