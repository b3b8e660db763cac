import type { RecordingSummary } from '../../shared/recording/library.ts'

/** The Library's sortable columns. */
export type RecordingSortKey = 'name' | 'started' | 'duration' | 'events' | 'bytes' | 'outcome'
export type RecordingSort = { key: RecordingSortKey; isAscending: boolean }

/** Newest first, as the backend lists them. */
export const DEFAULT_RECORDING_SORT: RecordingSort = { key: 'started', isAscending: false }

const VALUE_OF: Record<RecordingSortKey, (r: RecordingSummary) => number | string> = {
  name: (r) => r.name,
  started: (r) => r.startedAtMs,
  duration: (r) => r.durationMs,
  events: (r) => r.events,
  bytes: (r) => r.bytes,
  outcome: (r) => r.outcome,
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })

/** The recordings in the order asked; ties keep the newest first. */
export function sortRecordings(
  recordings: readonly RecordingSummary[],
  sort: RecordingSort,
): RecordingSummary[] {
  const valueOf = VALUE_OF[sort.key]
  const direction = sort.isAscending ? 1 : -1
  return [...recordings].sort((a, b) => {
    const x = valueOf(a)
    const y = valueOf(b)
    const order =
      typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y))
    return order * direction || b.startedAtMs - a.startedAtMs
  })
}

/** A click on a column's heading: the same column turns around; another starts with text A→Z, numbers largest first. */
export function nextSort(current: RecordingSort, key: RecordingSortKey): RecordingSort {
  if (current.key === key) return { key, isAscending: !current.isAscending }
  return { key, isAscending: key === 'name' || key === 'outcome' }
}
