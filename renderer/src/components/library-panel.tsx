import { useCallback, useEffect, useState } from 'react'
import { matchesSearch, type RecordingSummary } from '../../../shared/recording/library.ts'
import { openRecording } from '../actions.ts'
import { useApi } from '../api-context.ts'
import { useInspector } from '../store/inspector-store.ts'

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`
}

const SPEEDS = [
  { label: 'Open', speed: 'instant' as const },
  { label: '▶ 1×', speed: 1 },
  { label: '2×', speed: 2 },
  { label: '10×', speed: 10 },
]

function RecordingEditor({ recording, onSaved }: { recording: RecordingSummary; onSaved: () => void }) {
  const api = useApi()
  const [name, setName] = useState(recording.name)
  const [notes, setNotes] = useState(recording.notes)
  const [tags, setTags] = useState(recording.tags.join(', '))
  return (
    <form
      className="recording-editor"
      aria-label={`Edit ${recording.name}`}
      onSubmit={(e) => {
        e.preventDefault()
        const tagList = tags
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean)
        void api.editRecording(recording.id, { name, notes, tags: tagList }).then(onSaved)
      }}
    >
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Tags (comma-separated)
        <input value={tags} onChange={(e) => setTags(e.target.value)} />
      </label>
      <label>
        Notes
        <textarea rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} />
      </label>
      <button type="submit" className="primary">
        Save
      </button>
    </form>
  )
}

/** The session library: every recorded connection, searchable; open, replay, serve, edit, delete. */
export function LibraryPanel() {
  const api = useApi()
  const [recordings, setRecordings] = useState<readonly RecordingSummary[]>()
  const [search, setSearch] = useState('')
  const [editing, setEditing] = useState<string>()
  const [served, setServed] = useState<Record<string, string>>({})
  const refresh = useCallback(() => {
    api
      .listRecordings()
      .then(setRecordings)
      .catch((error: unknown) => useInspector.getState().setError(String(error)))
  }, [api])
  useEffect(refresh, [refresh])

  const visible = (recordings ?? []).filter((r) => matchesSearch(r, search))
  return (
    <section className="library" aria-label="Library">
      <div className="library-toolbar">
        <h2>Recordings</h2>
        <input
          aria-label="Search recordings"
          placeholder="Search name, URL, notes, tags"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <button type="button" className="ghost" onClick={refresh}>
          Refresh
        </button>
      </div>
      {recordings === undefined && <p className="muted">Loading…</p>}
      {recordings?.length === 0 && (
        <p className="muted">
          No recordings yet. Every connection is recorded here as it streams (switch it off under Options).
        </p>
      )}
      {visible.length > 0 && (
        <table className="recordings" aria-label="Recordings">
          <thead>
            <tr>
              <th>name</th>
              <th>started</th>
              <th>duration</th>
              <th>events</th>
              <th>bytes</th>
              <th>outcome</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {visible.map((r) => (
              <tr key={r.id}>
                <td title={r.url}>
                  <b>{r.name}</b>
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
                  {served[r.id] && (
                    <div>
                      Serving at <code>{served[r.id]}</code>
                    </div>
                  )}
                </td>
                <td>{new Date(r.startedAtMs).toLocaleString()}</td>
                <td>{formatDuration(r.durationMs)}</td>
                <td>{r.events}</td>
                <td>{formatBytes(r.bytes)}</td>
                <td>{r.outcome}</td>
                <td className="actions">
                  {SPEEDS.map(({ label, speed }) => (
                    <button
                      key={label}
                      type="button"
                      className="ghost"
                      onClick={() => void openRecording(api, r.id, r.name, speed)}
                    >
                      {label}
                    </button>
                  ))}
                  <button
                    type="button"
                    className="ghost"
                    onClick={() =>
                      void api
                        .serveRecording(r.id, { speed: 1 })
                        .then(({ url }) => setServed((s) => ({ ...s, [r.id]: url })))
                    }
                  >
                    Serve
                  </button>
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
                    onClick={() => {
                      if (window.confirm(`Delete the recording "${r.name}"?`))
                        void api.deleteRecording(r.id).then(refresh)
                    }}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
