import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef, useState } from 'react'
import { redactUrl } from '../../../shared/redact-headers.ts'
import { lowerBound } from '../../../shared/timeline/timeline-model.ts'
import { downloadFile } from '../download.ts'
import { visibleRowsAsNdjsonParts } from '../export-rows.ts'
import { clockTime, visibleControls, visibleId } from '../format.ts'
import type { RowRecord } from '../store/event-log.ts'
import { logOf, useInspector } from '../store/inspector-store.ts'
import { redactedRecord } from '../../../shared/recording/redact-recording.ts'

const ROW_HEIGHT = 26
const PREVIEW_CHARS = 200

function describe(row: RowRecord): { type: string; id: string; size: string; text: string } {
  const oneLine = (text: string) =>
    visibleControls(
      (text.length > PREVIEW_CHARS ? text.slice(0, PREVIEW_CHARS) + '…' : text).replace(/\r?\n/g, '⏎'),
    )
  switch (row.kind) {
    case 'event':
      return {
        type: visibleControls(row.type),
        id: visibleId(row.id ?? ''),
        size: String(new TextEncoder().encode(row.data).length),
        text: oneLine(row.data),
      }
    case 'comment':
      return { type: ': comment', id: '', size: '', text: oneLine(row.text) }
    case 'retry':
      return { type: 'retry', id: '', size: '', text: `${row.ms} ms` }
    case 'warning':
      return { type: `⚠ ${row.code}`, id: '', size: '', text: row.message }
    case 'reconnect':
      return {
        type: 'reconnect',
        id: visibleId(row.lastEventId),
        size: '',
        text: `#${row.reconnectAttempt} in ${row.delayMs} ms${row.lastEventId ? `, Last-Event-ID: ${visibleId(row.lastEventId)}` : ''}`,
      }
    case 'request':
      return { type: 'request', id: '', size: '', text: `${row.method} ${redactUrl(row.url)}` }
    case 'open':
      return {
        type: 'open',
        id: '',
        size: '',
        text: `HTTP/${row.httpVersion} ${row.status} ${row.statusText} in ${row.timeToHeadersMs.toFixed(0)} ms${row.proxy ? ` via proxy ${row.proxy}` : ''}`,
      }
    case 'close':
      return {
        type: 'close',
        id: '',
        size: '',
        text: `${row.cause}: ${row.message}${row.willReconnect ? ' (will reconnect)' : ''}`,
      }
    case 'error':
      return { type: `error ${row.code}`, id: '', size: '', text: row.message }
    case 'annotation':
      return { type: '✎ note', id: '', size: '', text: row.text }
  }
}

/**
 * What Ctrl/⌘+C copies of a row: an event's data, a comment's or note's text, else the record as JSON
 * (secrets redacted: a copy ends up in chats and tickets).
 */
function copyTextOf(row: RowRecord): string {
  if (row.kind === 'event') return row.data
  if (row.kind === 'comment' || row.kind === 'annotation') return row.text
  return JSON.stringify(redactedRecord(row), null, 2)
}

/** Rows that say something went wrong or differently: what n / N jump between. */
const PROBLEM_KINDS = new Set<RowRecord['kind']>(['warning', 'error', 'reconnect'])

/** A file name for a connection's rows: its tab's method and path, made safe. */
function exportName(connectionId: string | undefined): string {
  const request = connectionId ? useInspector.getState().connections[connectionId]?.request : undefined
  let path = 'rows'
  try {
    if (request) path = new URL(request.url).pathname
  } catch {
    // not a URL (an imported capture): the default name
  }
  const name = `${request?.method ?? ''} ${path}`.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '')
  return `${name.slice(0, 80) || 'rows'}-rows`
}

/** The virtualized list of every row of the active connection; follows the tail unless scrolled up. */
export function EventList() {
  const activeId = useInspector((s) => s.activeId)
  const version = useInspector((s) => (s.activeId ? (s.connections[s.activeId]?.version ?? 0) : 0))
  const filter = useInspector((s) => s.filter)
  const selectedRow = useInspector((s) => s.selectedRow)
  const isRecorded = useInspector((s) => (s.activeId ? s.connections[s.activeId]?.isRecorded : false))
  const select = useInspector((s) => s.select)
  const [isAbsoluteTime, setAbsoluteTime] = useState(false)
  const [isFollowing, setFollowing] = useState(true)
  const [exportProgress, setExportProgress] = useState<number | undefined>(undefined) // 0 to 1 while exporting
  const scrollRef = useRef<HTMLDivElement>(null)
  const log = logOf(activeId)
  const visible = log?.visible ?? []
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  })

  useEffect(() => {
    if (isFollowing && visible.length > 0) virtualizer.scrollToIndex(visible.length - 1, { align: 'end' })
  }, [version, filter, isFollowing, visible.length, virtualizer])

  // A row selected elsewhere (the timeline) scrolls into view.
  useEffect(() => {
    if (selectedRow === undefined) return
    const position = lowerBound(visible, visible.length, selectedRow)
    if (visible[position] !== selectedRow) return
    setFollowing(false)
    virtualizer.scrollToIndex(position, { align: 'auto' })
  }, [selectedRow, visible, virtualizer])

  // Only the user scrolls up: rows arriving between our scroll and this event must not stop following.
  const lastScrollTop = useRef(0)
  const onScroll = () => {
    const element = scrollRef.current
    if (!element) return
    const isAtBottom = element.scrollTop + element.clientHeight >= element.scrollHeight - ROW_HEIGHT * 1.5
    const hasMovedUp = element.scrollTop < lastScrollTop.current - 2
    lastScrollTop.current = element.scrollTop
    if (isFollowing && hasMovedUp && !isAtBottom) setFollowing(false)
    else if (!isFollowing && isAtBottom) setFollowing(true)
  }

  const moveSelection = (delta: number | 'first' | 'last') => {
    if (visible.length === 0) return
    const at = selectedRow === undefined ? -1 : lowerBound(visible, visible.length, selectedRow)
    const position = at !== -1 && visible[at] === selectedRow ? at : -1
    const next =
      delta === 'first'
        ? 0
        : delta === 'last'
          ? visible.length - 1
          : Math.min(visible.length - 1, Math.max(0, position + delta))
    select(visible[next])
    virtualizer.scrollToIndex(next, { align: 'auto' })
    if (next < visible.length - 1) setFollowing(false)
  }

  const jumpToProblem = (direction: 1 | -1) => {
    let start: number
    if (selectedRow === undefined) start = direction === 1 ? 0 : visible.length - 1
    else {
      const at = lowerBound(visible, visible.length, selectedRow) // the selection, or where it would be
      start = direction === 1 ? (visible[at] === selectedRow ? at + 1 : at) : at - 1
    }
    for (let i = start; i >= 0 && i < visible.length; i += direction) {
      if (!PROBLEM_KINDS.has(log!.row(visible[i]!)!.kind)) continue
      select(visible[i])
      virtualizer.scrollToIndex(i, { align: 'auto' })
      if (i < visible.length - 1) setFollowing(false)
      return
    }
  }
  const onKeyDown = (event: React.KeyboardEvent) => {
    // Ctrl/⌘+C copies the selected row (an event's data, a comment's text), unless text is selected.
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'c') {
      const row = selectedRow === undefined ? undefined : log?.row(selectedRow)
      if (!row || window.getSelection()?.toString()) return
      event.preventDefault()
      void navigator.clipboard?.writeText(copyTextOf(row))
      return
    }
    // n / N: the next or previous problem (a warning, an error, a reconnect), as an expert-info jump.
    if ((event.key === 'n' || event.key === 'N') && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault()
      jumpToProblem(event.key === 'n' ? 1 : -1)
      return
    }
    const keys: Record<string, number | 'first' | 'last'> = {
      ArrowDown: 1,
      ArrowUp: -1,
      PageDown: 20,
      PageUp: -20,
      Home: 'first',
      End: 'last',
      j: 1,
      k: -1,
    }
    const delta = keys[event.key]
    if (delta === undefined) return
    event.preventDefault()
    moveSelection(delta)
  }

  if (!log) return null
  const firstAtMs = log.firstAtMs ?? 0
  return (
    <section className="event-list">
      <div className="list-toolbar">
        <span>
          {visible.length.toLocaleString()} of {(log.rowCount - log.evicted).toLocaleString()}{' '}
          {log.rowCount - log.evicted === 1 ? 'row' : 'rows'}
          {log.evicted > 0 &&
            ` (${log.evicted.toLocaleString()} oldest dropped from view${isRecorded ? '; the recording keeps them' : ''})`}
        </span>
        <label className="check">
          <input
            type="checkbox"
            checked={isAbsoluteTime}
            onChange={(e) => setAbsoluteTime(e.target.checked)}
          />
          Clock time
        </label>
        {!isFollowing && (
          <button type="button" className="ghost" onClick={() => setFollowing(true)}>
            Follow ↓
          </button>
        )}
        <button
          type="button"
          className="ghost export-rows"
          disabled={visible.length === 0 || exportProgress !== undefined}
          title="Save the rows shown (the filter applied) as NDJSON, secrets redacted"
          onClick={() => {
            const fileName = `${exportName(activeId)}.ndjson`
            setExportProgress(0)
            void visibleRowsAsNdjsonParts(log, setExportProgress)
              .then((parts) => downloadFile(fileName, parts, 'application/x-ndjson'))
              .finally(() => setExportProgress(undefined))
          }}
        >
          {exportProgress === undefined ? 'Export rows' : `Exporting ${Math.floor(exportProgress * 100)}%…`}
        </button>
      </div>
      <div className="grid-head" aria-hidden="true">
        <span title="The record's number (seq), as in the recording and NDJSON; network chunks are numbered too, so rows skip some">
          #
        </span>
        <span>time</span>
        <span>Δ ms</span>
        <span>type</span>
        <span>id</span>
        <span>size</span>
        <span>data</span>
      </div>
      <div
        ref={scrollRef}
        className="grid-body"
        role="grid"
        aria-label="Events"
        aria-rowcount={visible.length}
        tabIndex={0}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const index = visible[item.index]!
            const row = log.row(index)!
            const previous = item.index > 0 ? log.row(visible[item.index - 1]!) : undefined
            const { type, id, size, text } = describe(row)
            return (
              <div
                key={item.key}
                role="row"
                aria-rowindex={item.index + 1}
                aria-selected={selectedRow === index}
                className={`row kind-${row.kind}${selectedRow === index ? ' selected' : ''}`}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                onClick={() => {
                  select(index)
                  setFollowing(false)
                }}
              >
                <span role="gridcell">{row.seq}</span>
                <span role="gridcell">
                  {isAbsoluteTime ? clockTime(row.atMs) : `+${((row.atMs - firstAtMs) / 1000).toFixed(3)}s`}
                </span>
                <span role="gridcell">{previous ? (row.atMs - previous.atMs).toFixed(1) : ''}</span>
                <span role="gridcell" className="type">
                  {type}
                </span>
                <span role="gridcell">{id}</span>
                <span role="gridcell">{size}</span>
                <span role="gridcell" className="data">
                  {text}
                </span>
              </div>
            )
          })}
        </div>
      </div>
    </section>
  )
}
