import type { EventRecord } from '../sse/stream-records.ts'
import { percentile } from '../checks/check-run.ts'

export type EventDiff = {
  matchedBy: 'id' | 'position'
  /** In A, not in B. */
  missing: { id?: string; data: string }[]
  /** In B, not in A. */
  extra: { id?: string; data: string }[]
  /** Same event (by id or position), different type or data. */
  changed: { key: string; a: { type: string; data: string }; b: { type: string; data: string } }[]
  /** Arrival time of B minus A, each relative to its own first event, for matched events (ms). */
  arrivalDeltaMs: { p50: number; p95: number; max: number; count: number }
}

/** Compares the events of two recordings: by id when both carry ids, else by position. */
export function diffEvents(a: readonly EventRecord[], b: readonly EventRecord[]): EventDiff {
  const hasIds = a.length > 0 && b.length > 0 && a.every((e) => e.id) && b.every((e) => e.id)
  const keyOf = (e: EventRecord, index: number) => (hasIds ? e.id! : String(index))
  const bByKey = new Map(b.map((e, i) => [keyOf(e, i), e]))
  const aKeys = new Set(a.map((e, i) => keyOf(e, i)))
  const a0 = a[0]?.atMs ?? 0
  const b0 = b[0]?.atMs ?? 0
  const deltas: number[] = []
  const diff: EventDiff = {
    matchedBy: hasIds ? 'id' : 'position',
    missing: [],
    extra: [],
    changed: [],
    arrivalDeltaMs: { p50: 0, p95: 0, max: 0, count: 0 },
  }
  a.forEach((event, i) => {
    const key = keyOf(event, i)
    const other = bByKey.get(key)
    if (!other) return void diff.missing.push({ id: event.id, data: event.data })
    if (other.type !== event.type || other.data !== event.data) {
      diff.changed.push({
        key,
        a: { type: event.type, data: event.data },
        b: { type: other.type, data: other.data },
      })
    }
    deltas.push(other.atMs - b0 - (event.atMs - a0))
  })
  b.forEach((event, i) => {
    if (!aKeys.has(keyOf(event, i))) diff.extra.push({ id: event.id, data: event.data })
  })
  const sorted = deltas.sort((x, y) => x - y)
  if (sorted.length) {
    diff.arrivalDeltaMs = {
      p50: Math.round(percentile(sorted, 0.5)),
      p95: Math.round(percentile(sorted, 0.95)),
      max: Math.round(Math.max(...sorted.map(Math.abs))),
      count: sorted.length,
    }
  }
  return diff
}
