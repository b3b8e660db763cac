import { useInspector, type InspectorState } from './store/inspector-store.ts'
import { tabNames } from './tab-names.ts'

const APP = 'SSE Inspector'

/** The window's (or browser tab's) title for what the page shows: among many, the one to go back to. */
export function titleOf(state: InspectorState): string {
  if (state.view === 'checks') return `Checks — ${APP}`
  if (state.view === 'library') return `Library — ${APP}`
  const index = state.activeId === undefined ? -1 : state.order.indexOf(state.activeId)
  if (index === -1) return APP
  const subjects = state.order.map((id) => ({
    ...state.connections[id]!.request,
    recordingName: state.connections[id]!.recordingName,
  }))
  return `${tabNames(subjects)[index]} (${state.connections[state.activeId!]!.state}) — ${APP}`
}

/** Keeps document.title on what the page shows, as it changes. */
export function keepDocumentTitle(): () => void {
  document.title = titleOf(useInspector.getState())
  return useInspector.subscribe((state) => {
    const title = titleOf(state)
    if (document.title !== title) document.title = title
  })
}
