import { useInspector } from './store/inspector-store.ts'

const ACTIVE_KEY = 'sse-inspector.active-connection'

/** Read as the page loads: the tabs given back as it reloads make others active meanwhile. */
const activeAtLoad = (() => {
  try {
    return sessionStorage.getItem(ACTIVE_KEY) ?? undefined
  } catch {
    return undefined
  }
})()

/** The connection whose tab was active when the page was last unloaded (a reload shows it again). */
export function activeBeforeReload(): string | undefined {
  return activeAtLoad
}

/** Keeps the active tab's connection in session storage (per browser tab) as it changes. */
export function rememberActiveTab(): () => void {
  return useInspector.subscribe((state, previous) => {
    if (state.activeId === previous.activeId || state.activeId === undefined) return
    try {
      sessionStorage.setItem(ACTIVE_KEY, state.activeId)
    } catch {
      // Storage unavailable: a reload shows the last tab.
    }
  })
}
