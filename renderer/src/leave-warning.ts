import { useEffect } from 'react'
import { isLiveConnection, useInspector } from './store/inspector-store.ts'

/**
 * In the browser face, leaving the page while connections are live asks first: they stop 10 s later
 * (their recordings stay in the Library). The browser asks the same before a reload, which gives the
 * tabs back; it cannot be told from a close. Not in the desktop app, where a beforeunload answer
 * would keep the window from closing without a word.
 */
export function useLeaveWarning(isBrowserFace: boolean): void {
  useEffect(() => {
    if (!isBrowserFace) return
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!Object.values(useInspector.getState().connections).some(isLiveConnection)) return
      event.preventDefault()
      event.returnValue = '' // older browsers ask only when it is set
    }
    window.addEventListener('beforeunload', onBeforeUnload)
    return () => window.removeEventListener('beforeunload', onBeforeUnload)
  }, [isBrowserFace])
}
