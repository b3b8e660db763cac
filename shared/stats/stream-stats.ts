import quickselect from 'quickselect'
import { NumberRing } from './number-ring.ts'
import { SlidingMax } from './sliding-max.ts'
import { HeldIds } from './held-ids.ts'

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
  /** Event types by how many events had them, most first (ties: by name, whichever rows are held). */
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
 * The statistics of a window of a stream's rows: rows come in at the new end as they arrive and go out at
 * the old end (a tab past its row limit drops its oldest). Each row is read once either way, so a live view
 * asks for figures every second at the cost of the rows since (recomputing a million rows took ~700 ms a
 * time; recounting the held ones at each eviction ~130 ms).
 */
export class StreamStatsTally {
  private readonly encoder = new TextEncoder()
  // Maps: types and ids come from the wire, and "constructor" or "__proto__" are names like any other.
  private readonly eventsByType = new Map<string, number>()
  /** Events by data size: exact figures without keeping a size per event. */
  private readonly sizeCounts = new Map<number, number>()
  private totalSize = 0
  /** The gaps between the events held, oldest first. */
  private readonly gaps = new NumberRing()
  private lastEventAtMs: number | undefined
  private readonly maxGap = new SlidingMax()
  private readonly histogram: Histogram = BUCKETS_MS.map((upToMs) => ({ upToMs, count: 0 }))
  private readonly ids = new HeldIds()
  /** The numeric ids in arrival order: gaps in them are counted again when the oldest go. */
  private readonly numericIds = new NumberRing()
  private idGaps = 0
  private missing = 0
  private highestNumericId: number | undefined
  private areIdGapsStale = false
  private events = 0
  private comments = 0
  private warnings = 0
  private reconnects = 0
  private withId = 0
  private rows = 0
  private lastRowAtMs: number | undefined
  /** The silences between consecutive rows of any kind. */
  private readonly longestSilence = new SlidingMax()
  /** The requests held (an attempt each), with the first headers and the first event after each. */
  private readonly requests: { atMs: number; headersAtMs?: number; eventAtMs?: number }[] = []

  /** Counts the newest row in. */
  add(row: StatsRow): void {
    if (this.lastRowAtMs !== undefined) this.longestSilence.push(row.atMs - this.lastRowAtMs)
    this.lastRowAtMs = row.atMs
    this.rows++
    switch (row.kind) {
      case 'request':
        this.requests.push({ atMs: row.atMs })
        break
      case 'open':
        // The latest requests without headers yet (earlier ones had theirs) get these.
        for (let i = this.requests.length - 1; i >= 0 && this.requests[i]!.headersAtMs === undefined; i--)
          this.requests[i]!.headersAtMs = row.atMs
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

  /** Counts the oldest row counted out (it must be the oldest: rows leave in the order they came). */
  drop(row: StatsRow): void {
    if (this.rows === 0) return
    if (this.rows > 1) this.longestSilence.dropOldest()
    if (--this.rows === 0) this.lastRowAtMs = undefined
    switch (row.kind) {
      case 'request':
        this.requests.shift()
        break
      case 'event':
        this.dropEvent(row)
        break
      case 'comment':
        this.comments--
        break
      case 'warning':
        this.warnings--
        break
      case 'reconnect':
        this.reconnects--
        break
    }
  }

  private addEvent(row: Extract<StatsRow, { kind: 'event' }>): void {
    this.events++
    countIn(this.eventsByType, row.type, 1)
    const size = this.sizeOf(row.data)
    countIn(this.sizeCounts, size, 1)
    this.totalSize += size
    for (let i = this.requests.length - 1; i >= 0 && this.requests[i]!.eventAtMs === undefined; i--)
      this.requests[i]!.eventAtMs = row.atMs
    if (this.lastEventAtMs !== undefined) {
      const gap = row.atMs - this.lastEventAtMs
      this.gaps.push(gap)
      this.maxGap.push(gap)
      this.histogram[bucketOf(gap)]!.count++
    }
    this.lastEventAtMs = row.atMs
    if (row.id === undefined || row.id === '') return
    this.withId++
    this.ids.add(row.id)
    if (/^\d+$/.test(row.id)) {
      const n = Number(row.id)
      this.numericIds.push(n)
      if (!this.areIdGapsStale) this.countIdStep(n)
    }
  }

  private dropEvent(row: Extract<StatsRow, { kind: 'event' }>): void {
    if (--this.events === 0) this.lastEventAtMs = undefined
    countIn(this.eventsByType, row.type, -1)
    const size = this.sizeOf(row.data)
    countIn(this.sizeCounts, size, -1)
    this.totalSize -= size
    const gap = this.gaps.shift() // the one after this event, if another is held
    if (gap !== undefined) {
      this.maxGap.dropOldest()
      this.histogram[bucketOf(gap)]!.count--
    }
    if (row.id === undefined || row.id === '') return
    this.withId--
    this.ids.drop(row.id)
    if (/^\d+$/.test(row.id)) {
      this.numericIds.shift()
      // Whether a later id skipped some depends on the highest before it, which may have been this one.
      this.areIdGapsStale = true
    }
  }

  /** Byte length without allocating for ASCII data (the common case). */
  private sizeOf(data: string): number {
    return /^[\x20-\x7e]*$/.test(data) ? data.length : this.encoder.encode(data).length
  }

  /** A numeric id above the highest so far plus one skipped the ids between. */
  private countIdStep(n: number): void {
    if (this.highestNumericId !== undefined && n > this.highestNumericId + 1) {
      this.idGaps++
      this.missing += n - this.highestNumericId - 1
    }
    this.highestNumericId = Math.max(this.highestNumericId ?? n, n)
  }

  private recountIdGaps(): void {
    this.idGaps = this.missing = 0
    this.highestNumericId = undefined
    for (let i = 0; i < this.numericIds.length; i++) this.countIdStep(this.numericIds.at(i))
    this.areIdGapsStale = false
  }

  /** The figures so far (a snapshot: later rows do not change it). */
  stats(): StreamStats {
    if (this.areIdGapsStale) this.recountIdGaps()
    return {
      events: this.events,
      eventsByType: [...this.eventsByType]
        .map(([type, count]) => ({ type, count }))
        .sort((a, b) => b.count - a.count || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0)),
      sizeBytes: this.sizeFigures(),
      interArrivalMs: {
        ...this.gapPercentiles(),
        max: this.maxGap.max,
        histogram: this.histogram.map((bucket) => ({ ...bucket })),
      },
      longestSilenceMs: this.longestSilence.max,
      firstResponseMs: this.firstResponseMs(),
      comments: this.comments,
      warnings: this.warnings,
      reconnects: this.reconnects,
      ids: {
        withId: this.withId,
        duplicates: this.ids.duplicates,
        gaps: this.idGaps,
        missing: this.missing,
      },
    }
  }

  /** From the first request held to the first headers and the first event after it. */
  private firstResponseMs(): StreamStats['firstResponseMs'] {
    const request = this.requests[0]
    if (!request) return {}
    return {
      ...(request.headersAtMs === undefined ? {} : { headers: request.headersAtMs - request.atMs }),
      ...(request.eventAtMs === undefined ? {} : { event: request.eventAtMs - request.atMs }),
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
    const gapCount = this.gaps.length
    if (gapCount === 0) return { median: 0, p95: 0 }
    const copy = this.gaps.toArray() as unknown as number[]
    const rankOf = (p: number) => Math.min(gapCount - 1, Math.floor(gapCount * p))
    const [median, p95] = [rankOf(0.5), rankOf(0.95)]
    quickselect(copy, p95)
    quickselect(copy, median, 0, p95) // the smaller ones are left of p95 now
    return { median: copy[median]!, p95: copy[p95]! }
  }
}

function bucketOf(gapMs: number): number {
  let bucket = 0
  while (gapMs > BUCKETS_MS[bucket]!) bucket++
  return bucket
}

/** Moves a key's count by `by`, forgetting it at zero (so a map's size is how many keys are held). */
function countIn<K>(counts: Map<K, number>, key: K, by: 1 | -1): void {
  const count = (counts.get(key) ?? 0) + by
  if (count > 0) counts.set(key, count)
  else counts.delete(key)
}
