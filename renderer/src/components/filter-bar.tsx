import { useEffect, useMemo, useState } from 'react'
import { filterPatternOf, NESTED_REPETITION } from '../filter-pattern.ts'
import { ALL_ROW_KINDS, type RowRecord } from '../store/event-log.ts'
import { useInspector } from '../store/inspector-store.ts'

const KIND_LABELS: Partial<Record<RowRecord['kind'], string>> = {
  event: 'Events',
  comment: 'Comments',
  retry: 'Retry',
  warning: 'Warnings',
  reconnect: 'Reconnects',
  annotation: 'Notes',
}
const LIFECYCLE: RowRecord['kind'][] = ['request', 'open', 'close', 'error']

/** Text (plain or /regex/), id and row-kind filters; "/" focuses the text box (see shortcuts.ts). */
export function FilterBar() {
  const filter = useInspector((s) => s.filter)
  const setFilter = useInspector((s) => s.setFilter)
  const [text, setText] = useState(filter.text)
  const [id, setId] = useState(filter.id)

  // Typing stays responsive: the (possibly large) index is rebuilt once the user pauses.
  useEffect(() => {
    const timer = setTimeout(() => {
      const current = useInspector.getState().filter
      if (current.text !== text || current.id !== id) setFilter({ ...current, text, id })
    }, 120)
    return () => clearTimeout(timer)
  }, [text, id, setFilter])

  const toggle = (kinds: RowRecord['kind'][], isOn: boolean) => {
    const next = new Set(filter.kinds)
    for (const kind of kinds) {
      if (isOn) next.add(kind)
      else next.delete(kind)
    }
    setFilter({ ...filter, kinds: next })
  }
  const regexError = useMemo(() => filterPatternOf(text).problem, [text])

  // Escape clears a field; in an empty one it hands the keys back to the list (↑/↓ move again).
  const escape = (value: string, clear: () => void) => (event: React.KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Escape') return
    event.preventDefault()
    if (value !== '') return clear()
    event.currentTarget.blur()
    document.querySelector<HTMLElement>('[role="grid"][aria-label="Events"]')?.focus()
  }

  return (
    <div className="filter-bar" role="search">
      <input
        id="filter-text"
        aria-label="Filter"
        placeholder="Filter data (text or /regex/)   press /"
        value={text}
        aria-invalid={regexError !== undefined}
        title={regexError ?? 'Esc clears'}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={escape(text, () => setText(''))}
      />
      {regexError && (
        <span className="filter-problem" role="status" title={regexError}>
          {regexError === NESTED_REPETITION ? 'nested repetition: not applied' : 'not a valid /regex/'}
        </span>
      )}
      <input
        aria-label="Filter by id"
        className="id-filter"
        placeholder="id"
        value={id}
        onChange={(e) => setId(e.target.value)}
        onKeyDown={escape(id, () => setId(''))}
      />
      {ALL_ROW_KINDS.filter((kind) => KIND_LABELS[kind]).map((kind) => (
        <label key={kind} className="check">
          <input
            type="checkbox"
            checked={filter.kinds.has(kind)}
            onChange={(e) => toggle([kind], e.target.checked)}
          />
          {KIND_LABELS[kind]}
        </label>
      ))}
      <label className="check">
        <input
          type="checkbox"
          checked={filter.kinds.has('open')}
          onChange={(e) => toggle(LIFECYCLE, e.target.checked)}
        />
        Lifecycle
      </label>
      {filter.eventType !== undefined && (
        <button
          type="button"
          className="ghost chip"
          title="Show events of every type again"
          onClick={() => setFilter({ ...filter, eventType: undefined })}
        >
          type: {filter.eventType} ×
        </button>
      )}
    </div>
  )
}
