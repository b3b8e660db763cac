import { useVirtualizer } from '@tanstack/react-virtual'
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { ExportFormat, ReplaySpeed } from '../../../shared/api.ts'
import type { EventDiffPreview } from '../../../shared/recording/diff-recordings.ts'
import { IMPORTABLE_ACCEPT, matchesSearch, type RecordingSummary } from '../../../shared/recording/library.ts'
import { openRecording } from '../actions.ts'
import { useApi } from '../api-context.ts'
import { formatBytes, formatDuration } from '../format.ts'
import { useInspector, type ServedRecording } from '../store/inspector-store.ts'
import {
  DEFAULT_RECORDING_SORT,
  nextSort,
  sortRecordings,
  type RecordingSort,
  type RecordingSortKey,
} from '../library-sort.ts'
import { plural } from '../../../shared/plural.ts'
import { CopyButton } from './copy-button.tsx'
import { DiffView } from './recording-diff.tsx'
import { RecordingEditor } from './recording-editor.tsx'
import { showFailure } from '../show-failure.ts'

/** A row's height before it is measured (one line of name; tags, notes or an editor make it taller). */
const ESTIMATED_ROW_PX = 46

/** How often the list is read again while a recording in it is live. */
const LIVE_REFRESH_MS = 1000

const SPEEDS = [
  { label: 'Open', speed: 'instant' as const },
  { label: '▶ 1×', speed: 1 },
  { label: '2×', speed: 2 },
  { label: '10×', speed: 10 },
]

const COLUMNS: { key: RecordingSortKey; label: string }[] = [
  { key: 'name', label: 'name' },
  { key: 'started', label: 'started' },
  { key: 'duration', label: 'duration' },
  { key: 'events', label: 'events' },
  { key: 'bytes', label: 'bytes' },
  { key: 'outcome', label: 'outcome' },
]

/** A column heading that sorts the table by its column (again: the other way round). */
function SortHeading({
  column,
  sort,
  onSort,
}: {
  column: { key: RecordingSortKey; label: string }
  sort: RecordingSort
  onSort: (key: RecordingSortKey) => void
}) {
  const isSorted = sort.key === column.key
  return (
    <th aria-sort={isSorted ? (sort.isAscending ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="sort-heading" onClick={() => onSort(column.key)}>
        {column.label}
        <span aria-hidden="true">{isSorted ? (sort.isAscending ? ' ▲' : ' ▼') : ''}</span>
      </button>
    </th>
  )
}

/** Where the replay server serves a recording, and a way to stop it. */
function ServedLine({ served, onStop }: { served: ServedRecording; onStop: () => void }) {
  return (
    <>
      <div className="served">
        Serving at <code>{served.url}</code>
        {served.isEachAttempt && ' (each attempt in turn, then 204)'}{' '}
        <CopyButton text={served.url} label="Copy URL" />{' '}
        <button type="button" className="ghost" onClick={onStop}>
          Stop serving
        </button>
      </div>
      {!served.isEachAttempt && (
        <p className="muted served-faults" aria-label="Replay faults">
          A client resumes with Last-Event-ID; faults on request: <code>?disconnectAfter=N</code>{' '}
          <code>?stallAfter=N&amp;stallMs=T</code> <code>?drop=ID</code> <code>?duplicate=ID</code>{' '}
          <code>?splitBytes=1</code> <code>?delayMs=D&amp;jitterMs=J</code> (N events, T and D in ms).
        </p>
      )}
      <p className="muted served-faults">
        Web pages served from this machine (localhost, any port) may read it in a browser; another site&apos;s
        pages only through <code>sse-inspector replay FILE --serve --cors ORIGIN</code>.
      </p>
    </>
  )
}

/** The session library: every recorded connection, searchable and sortable; open, replay, serve, edit, delete. */
export function LibraryPanel() {
  const api = useApi()
  const [recordings, setRecordings] = useState<readonly RecordingSummary[]>()
  const [search, setSearch] = useState('')
  const [editing, setEditing] = useState<string>()
  const served = useInspector((s) => s.servedRecordings)
  const setServed = useInspector((s) => s.setServed)
  const [sort, setSort] = useState<RecordingSort>(DEFAULT_RECORDING_SORT)
  const [isDropTarget, setDropTarget] = useState(false)
  const scrollRef = useRef<HTMLElement>(null)
  const tbodyRef = useRef<HTMLTableSectionElement>(null)
  const [tableTop, setTableTop] = useState(0)
  // Only the latest listing counts: an earlier one (of the previous folder) may answer last.
  const listing = useRef(0)
  const refresh = useCallback(() => {
    const request = ++listing.current
    api
      .listRecordings()
      .then((list) => {
        if (request === listing.current) setRecordings(list)
      })
      .catch(showFailure)
  }, [api])
  useEffect(refresh, [refresh])
  // Live recordings grow: their rows follow, without a click on Refresh.
  // …and so do recordings whose figures are being counted from their files.
  const isAnyLive = recordings?.some((r) => r.outcome === 'recording' || r.isCounting) ?? false
  useEffect(() => {
    if (!isAnyLive) return
    const timer = setInterval(refresh, LIVE_REFRESH_MS)
    return () => clearInterval(timer)
  }, [isAnyLive, refresh])

  const [compareIds, setCompareIds] = useState<string[]>([])
  const [location, setLocation] = useState('')
  useEffect(() => {
    // Never over what the user has started typing.
    void api
      .libraryLocation()
      .then(({ dir }) => setLocation((typed) => typed || dir))
      .catch(showFailure)
  }, [api])
  const [diff, setDiff] = useState<EventDiffPreview>()

  const [exportStatus, setExportStatus] = useState<string>()
  /** Files being imported, by name. */
  const [importing, setImporting] = useState<readonly string[]>([])
  const exportAs = async (recording: RecordingSummary, format: ExportFormat) => {
    try {
      setExportStatus(`Exporting ${recording.name}…`)
      const file = await api.exportRecording(recording.id, format)
      setExportStatus(
        file === undefined
          ? undefined
          : file.path !== undefined
            ? `Saved ${file.path}`
            : `Downloading ${file.fileName}: the browser's downloads show its progress`,
      )
    } catch (error) {
      setExportStatus(undefined)
      showFailure(error)
    }
  }
  const importFile = async (file: File) => {
    // A large file takes seconds to read, send and convert: said meanwhile, so it is not dropped twice.
    setImporting((names) => [...names, file.name])
    try {
      await api.importFile(file) // as it is read: a file of gigabytes is never in the page
      refresh()
    } catch (error) {
      showFailure(error)
    } finally {
      setImporting((names) => names.filter((name, i) => name !== file.name || i !== names.indexOf(file.name)))
    }
  }
  const toggleCompare = (id: string, isOn: boolean) => {
    setDiff(undefined)
    setCompareIds((ids) =>
      isOn ? [...ids.filter((x) => x !== id), id].slice(-2) : ids.filter((x) => x !== id),
    )
  }

  // Recordings whose replay server is starting: a long one is read through first (seconds for millions).
  const [starting, setStarting] = useState<ReadonlySet<string>>(new Set())
  // Recordings being read to open (a long one takes seconds): the row says so and its Open buttons wait.
  const [opening, setOpening] = useState<ReadonlySet<string>>(new Set())
  // Both recordings are read whole to compare (seconds for long ones); one that cannot be says why.
  const [isComparing, setComparing] = useState(false)
  const compare = (ignored?: string[]) => {
    setComparing(true)
    void api
      .diffRecordings(compareIds[0]!, compareIds[1]!, ignored)
      .then(setDiff)
      .catch(showFailure)
      .finally(() => setComparing(false))
  }
  const open = (r: RecordingSummary, speed: ReplaySpeed) => {
    setOpening((ids) => new Set(ids).add(r.id))
    void openRecording(api, r.id, r.name, speed).finally(() => setOpening((ids) => without(ids, r.id)))
  }
  const serve = (id: string, isEachAttempt: boolean) => {
    setStarting((ids) => new Set(ids).add(id))
    void api
      .serveRecording(id, { speed: 1, isEachAttempt })
      .then(({ url }) => setServed(id, { url, isEachAttempt }))
      .catch(showFailure)
      .finally(() => setStarting((ids) => without(ids, id)))
  }

  const stopServing = (id: string) =>
    void api
      .stopServingRecording(id)
      .then(() => setServed(id, undefined))
      .catch(showFailure)

  const all = recordings ?? []
  const visible = sortRecordings(
    all.filter((r) => matchesSearch(r, search)),
    sort,
  )
  // A recording still being written is in use: bulk deletion leaves it.
  const deletable = visible.filter((r) => r.outcome !== 'recording')
  const deleteShown = () => {
    const size = formatBytes(deletable.reduce((n, r) => n + r.sizeBytes, 0))
    const kept = visible.length - deletable.length
    const question = `Delete ${plural(deletable.length, 'recording')} (${size} on disk)?${kept > 0 ? ` ${plural(kept, 'live recording')} will be kept.` : ''}`
    if (!window.confirm(question)) return
    void deletable
      .reduce((done, r) => done.then(() => api.deleteRecording(r.id)), Promise.resolve())
      .catch(showFailure)
      .finally(refresh)
  }
  // Only the rows in view (and a few beyond) are made: thousands of recordings, each a row of a dozen
  // controls, took 2 s to show and 0.4 s at each live refresh and each key typed in the search.
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    overscan: 10,
    scrollMargin: tableTop,
    getItemKey: (index) => visible[index]!.id,
  })
  useLayoutEffect(() => {
    // Where the rows start in the scrolled content: below the toolbar, banners and any comparison.
    const scroller = scrollRef.current
    const body = tbodyRef.current
    if (!scroller || !body) return
    const top = body.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop
    if (Math.abs(top - tableTop) > 1) setTableTop(top)
  })
  const items = virtualizer.getVirtualItems()
  const rows = items.map(({ index }) => ({ index, r: visible[index]! }))
  const paddingTop = items.length > 0 ? items[0]!.start - tableTop : 0
  const paddingBottom =
    items.length > 0 ? virtualizer.getTotalSize() - (items[items.length - 1]!.end - tableTop) : 0
  return (
    <section
      ref={scrollRef}
      className={isDropTarget ? 'library drop-target' : 'library'}
      aria-label="Library"
      // A file dropped anywhere on the Library is imported, as Import… does.
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return
        e.preventDefault()
        setDropTarget(true)
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDropTarget(false)
      }}
      onDrop={(e) => {
        e.preventDefault()
        setDropTarget(false)
        for (const file of e.dataTransfer.files) void importFile(file)
      }}
    >
      <div className="library-toolbar">
        <h2>Recordings</h2>
        <input
          id="library-search"
          aria-label="Search recordings"
          placeholder="Search name, URL, notes, tags"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          title="/ searches; Esc clears"
          onKeyDown={(e) => {
            if (e.key !== 'Escape') return
            e.preventDefault()
            if (search !== '') setSearch('')
            else e.currentTarget.blur()
          }}
        />
        <button type="button" className="ghost" onClick={refresh}>
          Refresh
        </button>
        <label className="ghost import">
          Import…
          <input
            type="file"
            aria-label="Import a recording, HAR or SSE text"
            accept={IMPORTABLE_ACCEPT}
            onChange={(e) => {
              const file = e.target.files?.[0]
              if (file) void importFile(file)
              e.target.value = ''
            }}
          />
        </label>
        <button
          type="button"
          className="ghost"
          disabled={compareIds.length !== 2 || isComparing}
          onClick={() => compare()}
        >
          {isComparing ? 'Comparing…' : 'Compare 2 selected'}
        </button>
      </div>
      <form
        className="library-location"
        onSubmit={(e) => {
          e.preventDefault()
          api
            .setLibraryLocation(location)
            .then(({ dir }) => {
              setLocation(dir)
              refresh()
            })
            .catch(showFailure)
        }}
      >
        <label>
          Library folder
          <input value={location} spellCheck={false} onChange={(e) => setLocation(e.target.value)} />
        </label>
        <button type="submit" className="ghost">
          Use this folder
        </button>
      </form>
      {diff && (
        <DiffView
          diff={diff}
          names={compareIds.map((id) => recordings?.find((r) => r.id === id)?.name ?? id)}
          onIgnore={(fields) => compare(fields)}
        />
      )}
      {exportStatus && (
        <p className="muted" role="status" aria-label="Export">
          {exportStatus}
        </p>
      )}
      {importing.length > 0 && (
        <p className="muted" role="status" aria-label="Import">
          Importing {importing.join(', ')}…
        </p>
      )}
      {recordings === undefined && <p className="muted">Loading…</p>}
      {recordings?.length === 0 && (
        <p className="muted">
          No recordings yet. Every connection is recorded here as it streams (switch it off under Options);
          drop a recording, a HAR or SSE text here to import it (dropped elsewhere on the window, it opens in
          a tab).
        </p>
      )}
      {all.length > 0 && (
        <div className="library-summary">
          <span className="muted" aria-label="Library summary">
            {visible.length === all.length
              ? plural(all.length, 'recording')
              : `${visible.length} of ${plural(all.length, 'recording')}`}{' '}
            · {formatBytes(all.reduce((n, r) => n + r.sizeBytes, 0))} on disk
          </span>
          <button
            type="button"
            className="ghost"
            disabled={deletable.length === 0}
            title="Delete every recording the list shows (search first to narrow it); live ones are kept"
            onClick={deleteShown}
          >
            Delete shown…
          </button>
        </div>
      )}
      {all.length > 0 && visible.length === 0 && (
        <p className="muted">
          No recording matches “{search}” (its name, URL, notes and tags are searched).{' '}
          <button type="button" className="ghost" onClick={() => setSearch('')}>
            Clear search
          </button>
        </p>
      )}
      {visible.length > 0 && (
        // Rows out of view are not made: the counts tell assistive technology how many there are.
        <table className="recordings" aria-label="Recordings" aria-rowcount={visible.length + 1}>
          <thead>
            <tr aria-rowindex={1}>
              {COLUMNS.map((column) => (
                <SortHeading
                  key={column.key}
                  column={column}
                  sort={sort}
                  onSort={(key) => setSort((current) => nextSort(current, key))}
                />
              ))}
              <th>compare</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody ref={tbodyRef}>
            {paddingTop > 0 && <tr aria-hidden="true" className="spacer" style={{ height: paddingTop }} />}
            {rows.map(({ index, r }) => (
              <tr
                key={r.id}
                data-index={index}
                ref={virtualizer.measureElement}
                aria-rowindex={index + 2}
                onDoubleClick={(e) => {
                  // Double-clicked (not on one of its controls, nor its editor), a row opens as Open does.
                  if ((e.target as HTMLElement).closest('button, input, select, textarea, a, form')) return
                  if (!opening.has(r.id)) open(r, 'instant')
                }}
              >
                <td title={r.url}>
                  <b className="recording-name">{r.name}</b>
                  {r.tags.length > 0 && <span className="tags"> {r.tags.map((t) => `#${t}`).join(' ')}</span>}
                  {r.notes && <div className="muted">{r.notes}</div>}
                  {editing === r.id && (
                    <RecordingEditor
                      recording={r}
                      onSaved={() => {
                        setEditing(undefined)
                        refresh()
                      }}
                    />
                  )}
                  {opening.has(r.id) && (
                    <div className="served" aria-live="polite">
                      Opening: reading the recording…
                    </div>
                  )}
                  {starting.has(r.id) ? (
                    <div className="served" aria-live="polite">
                      Starting the replay server: reading the recording…
                    </div>
                  ) : (
                    served[r.id] && <ServedLine served={served[r.id]!} onStop={() => stopServing(r.id)} />
                  )}
                </td>
                <td>{new Date(r.startedAtMs).toLocaleString()}</td>
                <td>{formatDuration(r.durationMs)}</td>
                <td>{r.isCounting ? <span className="muted">counting…</span> : r.events}</td>
                <td>{formatBytes(r.bytes)}</td>
                <td>
                  {r.outcome}
                  {r.recorderPid !== undefined && (
                    <div className="muted">by another SSE Inspector (process {r.recorderPid})</div>
                  )}
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Compare ${r.name}`}
                    checked={compareIds.includes(r.id)}
                    onChange={(e) => toggleCompare(r.id, e.target.checked)}
                  />
                </td>
                <td className="actions">
                  {SPEEDS.map(({ label, speed }) => (
                    <button
                      key={label}
                      type="button"
                      className="ghost"
                      disabled={opening.has(r.id)}
                      onClick={() => open(r, speed)}
                    >
                      {label}
                    </button>
                  ))}
                  <button
                    type="button"
                    className="ghost"
                    disabled={starting.has(r.id)}
                    onClick={() => serve(r.id, false)}
                  >
                    Serve
                  </button>
                  <button
                    type="button"
                    className="ghost"
                    disabled={starting.has(r.id)}
                    title="Replay the reconnect story for a client under test: the k-th request gets the k-th recorded attempt (a broken connection breaks again), then a 204 stops it. Clicking again starts over."
                    onClick={() => serve(r.id, true)}
                  >
                    Serve attempts
                  </button>
                  <select
                    aria-label={`Export ${r.name}`}
                    value=""
                    onChange={(e) => {
                      if (e.target.value) void exportAs(r, e.target.value as ExportFormat)
                    }}
                  >
                    <option value="">Export…</option>
                    <option value="recording">Recording file</option>
                    <option value="har">HAR</option>
                    <option value="ndjson">NDJSON events</option>
                    <option value="sse">Raw SSE text</option>
                  </select>
                  <button
                    type="button"
                    className="ghost"
                    onClick={() => setEditing(editing === r.id ? undefined : r.id)}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    className="ghost"
                    aria-label={`Delete ${r.name}`}
                    disabled={r.recorderPid !== undefined}
                    title={
                      r.recorderPid === undefined
                        ? undefined
                        : 'Another SSE Inspector (a window, or record --in-library) is recording it: stop it there, then delete it'
                    }
                    onClick={() => {
                      if (window.confirm(`Delete the recording "${r.name}"?`))
                        void api.deleteRecording(r.id).catch(showFailure).finally(refresh)
                    }}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
            {paddingBottom > 0 && (
              <tr aria-hidden="true" className="spacer" style={{ height: paddingBottom }} />
            )}
          </tbody>
        </table>
      )}
    </section>
  )
}

/** A set without one of its members (a new set: state is not changed in place). */
function without(ids: ReadonlySet<string>, id: string): ReadonlySet<string> {
  const rest = new Set(ids)
  rest.delete(id)
  return rest
}
