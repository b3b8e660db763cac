import type { EventRecord } from '../sse/stream-records.ts'
import { percentile } from '../checks/check-run.ts'
import { jsonChanges, type IgnoredFields, type JsonChange } from './json-changes.ts'

export type EventDiff = {
  matchedBy: 'id' | 'position'
  /** In A, not in B. */
  missing: { id?: string; data: string }[]
  /** In B, not in A. */
  extra: { id?: string; data: string }[]
  /** Same event (by id or position), different type or data; `fields` when both data are JSON. */
  changed: {
    key: string
    a: { type: string; data: string }
    b: { type: string; data: string }
    fields?: JsonChange[]
  }[]
  /** Matched events whose JSON data differ only in ignored fields (or formatting). */
  sameButIgnored: number
  /** Arrival time of B minus A, each relative to its own first event, for matched events (ms). */
  arrivalDeltaMs: { p50: number; p95: number; max: number; count: number }
}

/**
 * Compares the events of two recordings: by id when both carry ids, else by position. JSON data are
 * compared field by field, leaving out `ignored` ones (timestamps, generated ids: what differs run to run).
 */
export function diffEvents(
  a: readonly EventRecord[],
  b: readonly EventRecord[],
  ignored: IgnoredFields = [],
): EventDiff {
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
    sameButIgnored: 0,
    arrivalDeltaMs: { p50: 0, p95: 0, max: 0, count: 0 },
  }
  a.forEach((event, i) => {
    const key = keyOf(event, i)
    const other = bByKey.get(key)
    if (!other) return void diff.missing.push({ id: event.id, data: event.data })
    const fields = other.data === event.data ? [] : jsonChanges(event.data, other.data, ignored)
    if (other.type !== event.type || (fields ? fields.length > 0 : other.data !== event.data)) {
      diff.changed.push({
        key,
        a: { type: event.type, data: event.data },
        b: { type: other.type, data: other.data },
        ...(fields?.length ? { fields } : {}),
      })
    } else if (other.data !== event.data) diff.sameButIgnored++
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
      max: Math.round(Math.max(-sorted[0]!, sorted.at(-1)!)), // the largest either way (sorted)
      count: sorted.length,
    }
  }
  return diff
}

/** What changed in an event: its type, its JSON fields (the first three), or its data. */
export function describeChange(change: EventDiff['changed'][number]): string {
  const type = change.a.type !== change.b.type ? `type ${change.a.type} → ${change.b.type}` : ''
  const fields = change.fields
  if (!fields)
    return [type, `${change.a.data.slice(0, 60)} → ${change.b.data.slice(0, 60)}`].filter(Boolean).join('; ')
  const shown = fields.slice(0, 3).map((f) => `${f.path} ${f.a.slice(0, 40)} → ${f.b.slice(0, 40)}`)
  if (fields.length > 3) shown.push(`${fields.length - 3} more`)
  return [type, ...shown].filter(Boolean).join('; ')
}

/** How many of each list the app is sent (and shows): two long runs that differ throughout list millions. */
export const DIFF_PREVIEW_LIMIT = 50
// An event's data can be megabytes: the preview keeps what a line of the comparison shows, and more.
const PREVIEW_CHARS = 200
const PREVIEW_FIELDS = 100

/** A diff with each list cut to its first entries (their texts shortened), and how many each had. */
export type EventDiffPreview = EventDiff & { totals: { missing: number; extra: number; changed: number } }

/**
 * What the app is sent of a diff: a 500k-event comparison that differed throughout was a 221 MB answer
 * of which the view showed 50 lines (and past ~1M events it could not be made at all, V8's strings
 * being at most 512 MiB). The CLI's `diff --json` gives every entry.
 */
export function previewOfDiff(diff: EventDiff, limit = DIFF_PREVIEW_LIMIT): EventDiffPreview {
  const cut = (text: string) => (text.length > PREVIEW_CHARS ? text.slice(0, PREVIEW_CHARS) : text)
  const event = ({ id, data }: { id?: string; data: string }) => ({ id, data: cut(data) })
  return {
    ...diff,
    missing: diff.missing.slice(0, limit).map(event),
    extra: diff.extra.slice(0, limit).map(event),
    changed: diff.changed.slice(0, limit).map((change) => ({
      key: cut(change.key),
      a: { type: cut(change.a.type), data: cut(change.a.data) },
      b: { type: cut(change.b.type), data: cut(change.b.data) },
      ...(change.fields
        ? {
            fields: change.fields
              .slice(0, PREVIEW_FIELDS)
              .map((f) => ({ ...f, path: cut(f.path), a: cut(f.a), b: cut(f.b) })),
          }
        : {}),
    })),
    totals: { missing: diff.missing.length, extra: diff.extra.length, changed: diff.changed.length },
  }
}
