import { ALL_ROW_KINDS, DEFAULT_FILTER, type RowFilter } from './store/event-log.ts'
import { useInspector, type InspectorState } from './store/inspector-store.ts'

/** The event list's filter as stored (a time range brushed on the timeline is not kept). */
type StoredFilter = { text: string; id: string; kinds: string[]; eventType?: string }

/** What the page showed, kept in session storage (per browser tab) so that a reload shows it again. */
type RememberedView = {
  view?: InspectorState['view']
  activeConnection?: string
  activeCheckRun?: string
  compareCheckRun?: string
  filter?: StoredFilter
}

const VIEW_KEY = 'sse-inspector.view'

/** Read as the page loads: the tabs and runs given back as it reloads make others active meanwhile. */
const viewAtLoad: RememberedView = (() => {
  try {
    const stored: unknown = JSON.parse(sessionStorage.getItem(VIEW_KEY) ?? '{}')
    return typeof stored === 'object' && stored !== null ? (stored as RememberedView) : {}
  } catch {
    return {}
  }
})()

/** What was active when the page was last unloaded. */
export function viewBeforeReload(): RememberedView {
  return viewAtLoad
}

const storedFilterOf = ({ text, id, kinds, eventType }: RowFilter): StoredFilter => ({
  text,
  id,
  kinds: [...kinds],
  ...(eventType === undefined ? {} : { eventType }),
})

/** A stored filter as the list's, if it is one (session storage is the page's own, but a reload may bring an older shape). */
function filterOf(stored: StoredFilter | undefined): RowFilter | undefined {
  if (
    !stored ||
    typeof stored.text !== 'string' ||
    typeof stored.id !== 'string' ||
    !Array.isArray(stored.kinds)
  )
    return undefined
  const kinds = ALL_ROW_KINDS.filter((kind) => stored.kinds.includes(kind))
  const eventType = typeof stored.eventType === 'string' ? stored.eventType : undefined
  return { ...DEFAULT_FILTER, text: stored.text, id: stored.id, kinds: new Set(kinds), eventType }
}

/**
 * Shows the view the page had before it was reloaded (Checks, Library) and its filter, then keeps the
 * view, the filter, the active tab's connection and the Checks panel's runs in session storage as
 * they change.
 */
export function rememberView(): () => void {
  if (viewAtLoad.view) useInspector.setState({ view: viewAtLoad.view })
  const filter = filterOf(viewAtLoad.filter)
  if (filter) useInspector.getState().setFilter(filter)
  return useInspector.subscribe((state, previous) => {
    const { view, activeId, activeCheckRunId, compareCheckRunId } = state
    if (
      view === previous.view &&
      activeId === previous.activeId &&
      activeCheckRunId === previous.activeCheckRunId &&
      compareCheckRunId === previous.compareCheckRunId &&
      state.filter === previous.filter
    )
      return
    const remembered: RememberedView = {
      view,
      activeConnection: activeId,
      activeCheckRun: activeCheckRunId,
      compareCheckRun: compareCheckRunId,
      filter: storedFilterOf(state.filter),
    }
    try {
      sessionStorage.setItem(VIEW_KEY, JSON.stringify(remembered))
    } catch {
      // Storage unavailable: a reload shows the last tab.
    }
  })
}
