import { useInspector, type InspectorState } from './store/inspector-store.ts'

/** What the page showed, kept in session storage (per browser tab) so that a reload shows it again. */
type RememberedView = {
  view?: InspectorState['view']
  activeConnection?: string
  activeCheckRun?: string
  compareCheckRun?: string
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

/**
 * Shows the view the page had before it was reloaded (Checks, Library), then keeps the view, the active
 * tab's connection and the Checks panel's runs in session storage as they change.
 */
export function rememberView(): () => void {
  if (viewAtLoad.view) useInspector.setState({ view: viewAtLoad.view })
  return useInspector.subscribe((state, previous) => {
    const { view, activeId, activeCheckRunId, compareCheckRunId } = state
    if (
      view === previous.view &&
      activeId === previous.activeId &&
      activeCheckRunId === previous.activeCheckRunId &&
      compareCheckRunId === previous.compareCheckRunId
    )
      return
    const remembered: RememberedView = {
      view,
      activeConnection: activeId,
      activeCheckRun: activeCheckRunId,
      compareCheckRun: compareCheckRunId,
    }
    try {
      sessionStorage.setItem(VIEW_KEY, JSON.stringify(remembered))
    } catch {
      // Storage unavailable: a reload shows the last tab.
    }
  })
}
