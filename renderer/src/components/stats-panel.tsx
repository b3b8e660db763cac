import { useEffect, useRef, useState } from 'react'
import type { StreamStats } from '../../../shared/stats/stream-stats.ts'
import { plural } from '../../../shared/plural.ts'
import { ROWS_PER_TURN, statsOfLog } from '../store/log-stats.ts'
import { logOf, useInspector } from '../store/inspector-store.ts'
import { measureCost } from '../measure-cost.ts'
import { formatInterval } from '../format.ts'

/** Types shown as buttons, most frequent first: a stream can send thousands of distinct types. */
const SHOWN_TYPES = 30

const label = (ms: number) => (ms === Infinity ? '> 60 s' : ms >= 1000 ? `≤ ${ms / 1000} s` : `≤ ${ms} ms`)

/** How often the statistics follow a live stream (each refresh sorts the types, selects percentiles). */
const REFRESH_MS = 1000

/** The stream's statistics, recomputed at most once a second while it streams. */
export function StatsPanel() {
  const activeId = useInspector((s) => s.activeId)
  const version = useInspector((s) => (s.activeId ? (s.connections[s.activeId]?.version ?? 0) : 0))
  const filter = useInspector((s) => s.filter)
  const setFilter = useInspector((s) => s.setFilter)
  const [shown, setShown] = useState<{ connectionId: string; stats: StreamStats; rowsLeft: number }>()
  /** Moves on while rows are left to read (a tab of a million rows is read in turns, the page painting between). */
  const [turn, setTurn] = useState(0)
  const computedAtMs = useRef(0)
  useEffect(() => {
    if (!activeId) return
    // A throttle, not a debounce: each batch of rows moves `version` and clears the timer, so the next
    // computation is due a second after the last one (not after the last batch, which on a stream of a
    // batch a second or more often never comes). Another tab's figures, or rows left to read, at once.
    const isCurrent = shown?.connectionId === activeId && shown.rowsLeft === 0
    const dueInMs = isCurrent ? computedAtMs.current + REFRESH_MS - performance.now() : 0
    const timer = setTimeout(
      () => {
        computedAtMs.current = performance.now()
        const log = logOf(activeId)
        const figures = log && statsOfLog(log, ROWS_PER_TURN)
        measureCost('stats-refresh', computedAtMs.current)
        if (!figures) return
        setShown({ connectionId: activeId, ...figures })
        if (figures.rowsLeft > 0) setTurn((n) => n + 1)
      },
      Math.max(0, dueInMs),
    )
    return () => clearTimeout(timer)
  }, [activeId, version, turn])
  const isRecorded = useInspector((s) => (s.activeId ? s.connections[s.activeId]?.isRecorded : false))
  if (!shown || shown.connectionId !== activeId) return null
  const { stats, rowsLeft } = shown
  const maxBucket = Math.max(1, ...stats.interArrivalMs.histogram.map((b) => b.count))
  // Past its row limit a tab holds the newest rows: the figures are theirs, not the whole stream's.
  const droppedRows = logOf(activeId)?.evicted ?? 0
  return (
    <section className="stats" aria-label="Statistics">
      <h2 className="visually-hidden">Statistics</h2>
      {rowsLeft > 0 && (
        <p className="muted" role="status">
          Counting: {plural(rowsLeft, 'row')} still to read…
        </p>
      )}
      {droppedRows > 0 && (
        <p className="muted" role="note">
          Figures of the rows this tab holds: {plural(droppedRows, 'older row')} dropped from view
          {isRecorded
            ? ' are in the recording (open it from the Library for all of them).'
            : ' are not counted.'}
        </p>
      )}
      <dl>
        <dt>events</dt>
        <dd>{stats.events}</dd>
        <dt>by type</dt>
        <dd className="type-counts">
          {stats.eventsByType.length === 0 && '—'}
          {stats.eventsByType.slice(0, SHOWN_TYPES).map(({ type, count }) => (
            <button
              key={type}
              type="button"
              className="ghost"
              title={`Show only ${type} events in the list`}
              aria-label={`${type}: ${count}`} // the flex box would name it "type : count"
              aria-pressed={filter.eventType === type}
              onClick={() =>
                setFilter({ ...filter, eventType: filter.eventType === type ? undefined : type })
              }
            >
              <span className="type-name">{type}</span>: {count}
            </button>
          ))}
          {stats.eventsByType.length > SHOWN_TYPES && (
            <span className="muted">
              {' '}
              and {plural(stats.eventsByType.length - SHOWN_TYPES, 'more type')} (
              {plural(
                stats.eventsByType.slice(SHOWN_TYPES).reduce((n, t) => n + t.count, 0),
                'event',
              )}
              )
            </span>
          )}
        </dd>
        <dt>data size</dt>
        <dd>
          min {stats.sizeBytes.min} B · median {stats.sizeBytes.median} B · max {stats.sizeBytes.max} B
        </dd>
        <dt>inter-arrival</dt>
        <dd>
          median {formatInterval(stats.interArrivalMs.median)} · p95{' '}
          {formatInterval(stats.interArrivalMs.p95)} · max {formatInterval(stats.interArrivalMs.max)}
        </dd>
        <dt>first event</dt>
        <dd>
          {stats.firstResponseMs.event === undefined
            ? '—'
            : `${stats.firstResponseMs.event.toFixed(0)} ms after the request`}
          {stats.firstResponseMs.headers !== undefined &&
            ` (headers after ${stats.firstResponseMs.headers.toFixed(0)} ms)`}
        </dd>
        <dt>longest silence</dt>
        <dd>{formatInterval(stats.longestSilenceMs)}</dd>
        <dt>comments / warnings</dt>
        <dd>
          {stats.comments} / {stats.warnings}
        </dd>
        <dt>reconnects</dt>
        <dd>{stats.reconnects}</dd>
        <dt>ids</dt>
        <dd>
          {stats.ids.withId} with id · {plural(stats.ids.duplicates, 'duplicate')} ·{' '}
          {plural(stats.ids.gaps, 'gap')} ({stats.ids.missing} missing)
        </dd>
      </dl>
      <h3>Inter-arrival time</h3>
      <table className="histogram" aria-label="Inter-arrival histogram">
        <tbody>
          {stats.interArrivalMs.histogram.map((bucket) => (
            <tr key={bucket.upToMs}>
              <th>{label(bucket.upToMs)}</th>
              <td>
                <span className="bar" style={{ width: `${(bucket.count / maxBucket) * 100}%` }} />
              </td>
              <td>{bucket.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
