import type { ChunkBytes, WireChunkRecord, WireRecord } from '../../../shared/api.ts'
import { filterPatternOf } from '../filter-pattern.ts'

/** A record the list shows as a row: everything but network chunks (those feed the raw view). */
export type RowRecord = Exclude<WireRecord, WireChunkRecord>

/** A filter over rows: kinds to show, text (plain or /regex/) in data or comment text, exact id. */
export type RowFilter = {
  kinds: ReadonlySet<RowRecord['kind']>
  text: string
  id: string
  /** A time range brushed on the timeline: [startMs, endMs]. */
  timeRange?: readonly [number, number]
  /** Events of this type only (picked in Statistics); other row kinds are not affected. */
  eventType?: string
}

export const ALL_ROW_KINDS: readonly RowRecord['kind'][] = [
  'event',
  'comment',
  'retry',
  'warning',
  'reconnect',
  'request',
  'open',
  'close',
  'error',
  'annotation',
]

export const DEFAULT_FILTER: RowFilter = { kinds: new Set(ALL_ROW_KINDS), text: '', id: '' }

/** What a row's text filter looks at. */
export function rowText(row: RowRecord): string {
  switch (row.kind) {
    case 'event':
      return row.data
    case 'comment':
    case 'annotation':
      return row.text
    case 'warning':
    case 'close':
    case 'error':
      return row.message
    case 'request':
      return `${row.method} ${row.url}`
    default:
      return ''
  }
}

function matcher(filter: RowFilter): (row: RowRecord) => boolean {
  const { test } = filterPatternOf(filter.text)
  const range = filter.timeRange
  return (row) =>
    filter.kinds.has(row.kind) &&
    (range === undefined || (row.atMs >= range[0] && row.atMs <= range[1])) &&
    (filter.eventType === undefined || row.kind !== 'event' || row.type === filter.eventType) &&
    (filter.id === '' || (row.kind === 'event' && row.id === filter.id)) &&
    (filter.text === '' || test(rowText(row)) || (row.kind === 'event' && test(row.type)))
}

/** Rows kept per connection before the oldest are dropped (they stay in the recording). */
export const DEFAULT_MAX_ROWS = 1_000_000
/** Rows kept across all connections (~250 MB of heap per million 100-byte events). */
export const DEFAULT_MAX_TOTAL_ROWS = 2_000_000

/**
 * The rows all open connections may hold together: several busy tabs must not take the renderer's
 * heap, however many are open. Past the budget, the log holding the most drops its oldest tenth.
 */
export class RowBudget {
  private readonly logs = new Set<EventLog>()

  readonly maxRows: number

  constructor(maxRows = DEFAULT_MAX_TOTAL_ROWS) {
    this.maxRows = maxRows
  }

  track(log: EventLog): void {
    this.logs.add(log)
  }

  /** A closed connection's rows no longer count. */
  release(log: EventLog): void {
    this.logs.delete(log)
  }

  get heldRows(): number {
    let held = 0
    for (const log of this.logs) held += log.heldRows
    return held
  }

  /** Evicts from the largest logs until all of them fit. */
  enforce(): void {
    for (let held = this.heldRows; held > this.maxRows; held = this.heldRows) {
      let largest: EventLog | undefined
      for (const log of this.logs) if (!largest || log.heldRows > largest.heldRows) largest = log
      largest!.evictOldest(Math.max(held - this.maxRows, Math.ceil(largest!.heldRows / 10)))
    }
  }
}

/** Told of the rows an eviction drops, oldest first, and the absolute index of the first of them. */
export type EvictionWatcher = (rows: readonly RowRecord[], firstIndex: number) => void

/**
 * One connection's records, append-only and index-addressable, outside React state. Row indices are
 * absolute (they survive eviction); the visible index grows with each batch (no O(n) work per batch)
 * and is rebuilt only when the filter changes. Past `maxRows`, the oldest tenth is evicted at once (or
 * whatever the RowBudget shared by all connections asks).
 */
export class EventLog {
  private rows: RowRecord[] = []
  /** How many rows were evicted: row i lives at rows[i - evicted]. */
  evicted = 0
  readonly chunks = new Map<number, WireChunkRecord>()
  visible: number[] = []
  private filter: RowFilter = DEFAULT_FILTER
  private matches = matcher(DEFAULT_FILTER)
  eventCount = 0
  byteCount = 0
  /** Events the backend dropped on the way to this page (it fell behind the stream). */
  skippedEvents = 0
  readonly maxRows: number
  /** Columns for the timeline, parallel to the held rows: arrival time, kind, event type. */
  readonly columns = new TimeColumns()
  /** Chunk arrival times and sizes, for the timeline's network track. */
  readonly chunkColumns = new TimeColumns()
  /** Event arrival times alone (and data sizes), for the events/s track. */
  readonly eventColumns = new TimeColumns()

  private readonly budget: RowBudget | undefined
  private readonly evictionWatchers = new Set<EvictionWatcher>()

  constructor(maxRows = DEFAULT_MAX_ROWS, budget?: RowBudget) {
    this.maxRows = Math.max(10, maxRows)
    this.budget = budget
    budget?.track(this)
  }

  /** Rows held (not evicted). */
  get heldRows(): number {
    return this.rows.length
  }

  /** The row at absolute index `index`, unless evicted. */
  row(index: number): RowRecord | undefined {
    return this.rows[index - this.evicted]
  }

  /** Absolute index one past the newest row. */
  get rowCount(): number {
    return this.evicted + this.rows.length
  }

  /** When the first row arrived (kept across eviction: relative times stay put). */
  firstAtMs: number | undefined

  append(records: readonly WireRecord[]): void {
    for (const record of records) {
      if (record.kind === 'chunk') {
        this.chunks.set(record.seq, record)
        this.byteCount += record.sizeBytes
        this.chunkColumns.push(record.atMs, 0, record.sizeBytes)
        continue
      }
      if (record.kind === 'event') {
        this.eventCount++
        compact(record)
        this.eventColumns.push(record.atMs, 0, record.data.length)
      }
      this.firstAtMs ??= record.atMs
      this.columns.push(
        record.atMs,
        ROW_KIND_CODES[record.kind],
        record.kind === 'event' ? typeCode(record.type) : 0,
      )
      const index = this.evicted + this.rows.push(record) - 1
      if (this.matches(record)) this.visible.push(index)
    }
    if (this.rows.length > this.maxRows) this.evictOldest(Math.ceil(this.maxRows / 10))
    this.budget?.enforce()
    // A stream of tiny chunks (a byte at a time) and few rows must not grow the chunks without bound.
    if (this.chunks.size > this.maxRows) this.dropOldestChunks(this.chunks.size - this.maxRows * 0.9)
  }

  /** Drops the oldest chunks while `isOld` says so, at most `max`; the timeline's chunk track with them. */
  private dropOldestChunks(max: number, isOld: (seq: number) => boolean = () => true): void {
    let dropped = 0
    for (const seq of this.chunks.keys()) {
      if (dropped >= max || !isOld(seq)) break
      this.chunks.delete(seq) // keys come in arrival order, as the chunk columns do
      dropped++
    }
    this.chunkColumns.dropFirst(dropped)
  }

  /** Calls `watcher` with the rows each eviction drops, for the log's life. */
  watchEvictions(watcher: EvictionWatcher): void {
    this.evictionWatchers.add(watcher)
  }

  /** Drops the oldest `count` rows (the recording keeps them), and the chunks only they needed. */
  evictOldest(count: number): void {
    const dropped = this.rows.splice(0, count)
    for (const watcher of this.evictionWatchers) watcher(dropped, this.evicted)
    this.evicted += dropped.length
    this.columns.dropFirst(dropped.length)
    this.eventColumns.dropFirst(dropped.filter((row) => row.kind === 'event').length)
    // Chunks older than the oldest kept row are no longer needed for raw views.
    const oldest = this.rows[0]
    if (oldest) this.dropOldestChunks(Infinity, (seq) => seq < oldest.seq - 1)
    let firstKept = 0
    while (firstKept < this.visible.length && this.visible[firstKept]! < this.evicted) firstKept++
    this.visible = this.visible.slice(firstKept)
  }

  /**
   * Rows the backend dropped on the way (this page fell behind a fast stream): they come after every
   * row held, so all of those go too, and the counters count them.
   */
  skip(skipped: { rows: number; events: number; bytes: number; isReadBack?: boolean }): void {
    this.evictOldest(this.rows.length)
    this.dropOldestChunks(Infinity)
    this.evicted += skipped.rows
    this.eventCount += skipped.events
    // Older than the tab holds (a reload's read-back): dropped from view as past its limit, not "to keep up".
    if (!skipped.isReadBack) this.skippedEvents += skipped.events
    this.byteCount += skipped.bytes
  }

  setFilter(filter: RowFilter): void {
    this.filter = filter
    this.matches = matcher(filter)
    this.visible = []
    for (let i = 0; i < this.rows.length; i++)
      if (this.matches(this.rows[i]!)) this.visible.push(this.evicted + i)
  }

  getFilter(): RowFilter {
    return this.filter
  }

  /** The chunks (metadata) that carried a byte range of one attempt's body. */
  chunksOf(range: {
    startByte: number
    endByte: number
    firstChunkSeq: number
    lastChunkSeq: number
  }): WireChunkRecord[] {
    const chunks: WireChunkRecord[] = []
    for (let seq = range.firstChunkSeq; seq <= range.lastChunkSeq; seq++) {
      const chunk = this.chunks.get(seq)
      if (chunk && chunk.startByte < range.endByte && chunk.startByte + chunk.sizeBytes > range.startByte)
        chunks.push(chunk)
    }
    return chunks
  }
}

/**
 * The bytes from `startByte` to `endByte`, cut from chunks that cover them, and how many of them no
 * chunk given had (the backend keeps the newest chunks only: older ones are in the recording).
 */
export function sliceChunks(
  chunks: readonly ChunkBytes[],
  startByte: number,
  endByte: number,
): { bytes: Uint8Array; missingBytes: number } {
  const out = new Uint8Array(Math.max(0, endByte - startByte))
  let found = 0
  for (const chunk of chunks) {
    const bytes = base64ToBytes(chunk.bytesBase64)
    const from = Math.max(startByte, chunk.startByte)
    const to = Math.min(endByte, chunk.startByte + bytes.length)
    if (to <= from) continue
    out.set(bytes.subarray(from - chunk.startByte, to - chunk.startByte), from - startByte)
    found += to - from
  }
  return { bytes: out, missingBytes: out.length - found }
}

/** Row kinds as small codes for the timeline's columns. */
export const ROW_KIND_CODES: Record<RowRecord['kind'], number> = {
  event: 0,
  comment: 1,
  retry: 2,
  warning: 3,
  reconnect: 4,
  request: 5,
  open: 6,
  close: 7,
  error: 8,
  annotation: 9,
}

/** Event types by code (shared by all logs), for colouring marks. */
export const eventTypes: string[] = []
const typeCodes = new Map<string, number>()
function typeCode(type: string): number {
  let code = typeCodes.get(type)
  if (code === undefined) {
    code = eventTypes.push(type) - 1
    if (code < 65_535) typeCodes.set(type, code)
  }
  return Math.min(code, 65_535)
}

/** Growable typed columns: time (sorted, as arrivals are), a small code, and a whole-number value. */
export class TimeColumns {
  times = new Float64Array(1024)
  codes = new Uint8Array(1024)
  values = new Uint32Array(1024)
  length = 0

  push(atMs: number, code: number, value: number): void {
    if (this.length === this.times.length) {
      const grow = <T extends Float64Array | Uint32Array | Uint8Array>(array: T, make: (n: number) => T) => {
        const next = make(array.length * 2)
        next.set(array)
        return next
      }
      this.times = grow(this.times, (n) => new Float64Array(n))
      this.codes = grow(this.codes, (n) => new Uint8Array(n))
      this.values = grow(this.values, (n) => new Uint32Array(n))
    }
    this.times[this.length] = atMs
    this.codes[this.length] = code
    this.values[this.length] = value
    this.length++
  }

  dropFirst(count: number): void {
    this.times.copyWithin(0, count, this.length)
    this.codes.copyWithin(0, count, this.length)
    this.values.copyWithin(0, count, this.length)
    this.length -= Math.min(count, this.length)
  }
}

// Event types repeat endlessly: keep one copy of each (JSON.parse makes a new string per row).
const internedTypes = new Map<string, string>()

/** Shares repeated strings between rows, so a million events cost less memory. */
function compact(event: Extract<RowRecord, { kind: 'event' }>): void {
  event.kind = 'event' // the literal: one shared string instead of one per parsed row
  let type = internedTypes.get(event.type)
  if (type === undefined && internedTypes.size < 10_000) internedTypes.set(event.type, (type = event.type))
  if (type !== undefined) event.type = type
  if (event.id !== undefined && event.lastEventId === event.id) event.lastEventId = event.id
}

export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}
