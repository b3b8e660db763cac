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

/** What a comparison reads of an event. */
export type ComparedEvent = Pick<EventRecord, 'type' | 'data' | 'id' | 'atMs'>

/** How many of each list a diff found, whatever it kept. */
export type DiffTotals = { missing: number; extra: number; changed: number }

/**
 * Compares the events of A, taken one at a time as they are read (never held), with B's, held: by id
 * when both carry ids throughout (`isById`: a first reading of A tells), else by position. JSON data
 * are compared field by field, leaving out `ignored` ones (timestamps, generated ids: what differs run
 * to run). Each list keeps its first `listLimit` entries (the app shows 50); `totals` counts them all.
 */
export class EventDiffer {
  readonly totals: DiffTotals = { missing: 0, extra: 0, changed: 0 }
  /** A's events compared so far. */
  compared = 0
  private readonly b: readonly ComparedEvent[]
  private readonly isById: boolean
  private readonly ignored: IgnoredFields
  private readonly listLimit: number
  /** B's events by id (the last of an id), and whether an A event had that id. */
  private readonly bById = new Map<string, { event: ComparedEvent; isMatched: boolean }>()
  private readonly deltas: number[] = []
  private a0: number | undefined
  private readonly diff: EventDiff

  constructor(
    b: readonly ComparedEvent[],
    options: { isById: boolean; ignored?: IgnoredFields; listLimit?: number },
  ) {
    this.b = b
    this.isById = options.isById
    this.ignored = options.ignored ?? []
    this.listLimit = options.listLimit ?? Infinity
    if (this.isById)
      for (const event of b) {
        const entry = this.bById.get(event.id!)
        if (entry) entry.event = event
        else this.bById.set(event.id!, { event, isMatched: false })
      }
    this.diff = {
      matchedBy: this.isById ? 'id' : 'position',
      missing: [],
      extra: [],
      changed: [],
      sameButIgnored: 0,
      arrivalDeltaMs: { p50: 0, p95: 0, max: 0, count: 0 },
    }
  }

  /** Compares A's next event. */
  compare(event: ComparedEvent): void {
    const index = this.compared++
    this.a0 ??= event.atMs
    let other: ComparedEvent | undefined
    if (this.isById) {
      const entry = this.bById.get(event.id!)
      if (entry) entry.isMatched = true
      other = entry?.event
    } else other = this.b[index]
    if (!other) return this.note('missing', { id: event.id, data: event.data })
    const fields = other.data === event.data ? [] : jsonChanges(event.data, other.data, this.ignored)
    if (other.type !== event.type || (fields ? fields.length > 0 : other.data !== event.data)) {
      this.note('changed', {
        key: this.isById ? event.id! : String(index),
        a: { type: event.type, data: event.data },
        b: { type: other.type, data: other.data },
        ...(fields?.length ? { fields } : {}),
      })
    } else if (other.data !== event.data) this.diff.sameButIgnored++
    this.deltas.push(other.atMs - (this.b[0]?.atMs ?? 0) - (event.atMs - this.a0))
  }

  /** The differences: B's events no A event matched are the extra ones. */
  result(): EventDiff {
    const { diff } = this
    diff.extra = []
    this.totals.extra = 0
    const isExtra = (event: ComparedEvent, index: number) =>
      this.isById ? !this.bById.get(event.id!)!.isMatched : index >= this.compared
    this.b.forEach((event, index) => {
      if (isExtra(event, index)) this.note('extra', { id: event.id, data: event.data })
    })
    const sorted = this.deltas.sort((x, y) => x - y)
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

  private note<K extends keyof DiffTotals>(list: K, entry: EventDiff[K][number]): void {
    this.totals[list]++
    if (this.diff[list].length < this.listLimit) (this.diff[list] as EventDiff[K][number][]).push(entry)
  }
}

/** Whether there are events, each with an id (two recordings of such are matched by id). */
export const areAllWithIds = (events: readonly ComparedEvent[]) =>
  events.length > 0 && events.every((e) => e.id)

/** Compares the events of two recordings held whole (see EventDiffer). */
export function diffEvents(
  a: readonly ComparedEvent[],
  b: readonly ComparedEvent[],
  ignored: IgnoredFields = [],
): EventDiff {
  const differ = new EventDiffer(b, { isById: areAllWithIds(a) && areAllWithIds(b), ignored })
  for (const event of a) differ.compare(event)
  return differ.result()
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
export type EventDiffPreview = EventDiff & { totals: DiffTotals }

/**
 * What the app is sent of a diff: a 500k-event comparison that differed throughout was a 221 MB answer
 * of which the view showed 50 lines (and past ~1M events it could not be made at all, V8's strings
 * being at most 512 MiB). The CLI's `diff --json` gives every entry.
 */
export function previewOfDiff(
  diff: EventDiff,
  limit = DIFF_PREVIEW_LIMIT,
  totals: DiffTotals = {
    missing: diff.missing.length,
    extra: diff.extra.length,
    changed: diff.changed.length,
  },
): EventDiffPreview {
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
    totals,
  }
}
