import { useEffect, useRef } from 'react'
import { redactUrl } from '../../../shared/redact-headers.ts'
import { closeConnection } from '../actions.ts'
import { useApi } from '../api-context.ts'
import { useInspector } from '../store/inspector-store.ts'
import { tabNames } from '../tab-names.ts'

/** One tab per connection opened in this session. */
export function ConnectionTabs() {
  const order = useInspector((s) => s.order)
  const connections = useInspector((s) => s.connections)
  const activeId = useInspector((s) => s.activeId)
  const setActive = useInspector((s) => s.setActive)
  const view = useInspector((s) => s.view)
  const api = useApi()
  const names = tabNames(
    order.map((id) => ({ ...connections[id]!.request, recordingName: connections[id]!.recordingName })),
  )
  const navRef = useRef<HTMLDivElement>(null)
  // Of many tabs, the active one is scrolled into view (a new one opens at the end, out of sight).
  useEffect(() => {
    navRef.current
      ?.querySelector('.tab-wrap .tab[aria-selected="true"]')
      ?.scrollIntoView({ block: 'nearest', inline: 'nearest' })
  }, [activeId, order.length])
  return (
    <nav className="tabs-bar" aria-label="Views and connections">
      <div
        className="tablist"
        role="tablist"
        aria-label="Connections"
        // ←/→ go to the tab before or after the focused one and show it (as a tablist does)
        onKeyDown={(event) => {
          if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return
          const tabs = [...event.currentTarget.querySelectorAll<HTMLElement>('[role="tab"]')]
          const at = tabs.indexOf(event.target as HTMLElement)
          if (at === -1) return
          event.preventDefault()
          const next = tabs[(at + (event.key === 'ArrowRight' ? 1 : -1) + tabs.length) % tabs.length]!
          next.focus()
          next.click()
        }}
      >
        <button
          role="tab"
          aria-selected={view === 'checks'}
          className="tab checks-tab"
          onClick={() => useInspector.setState({ view: view === 'checks' ? 'stream' : 'checks' })}
        >
          ✓ Checks
        </button>
        <button
          role="tab"
          aria-selected={view === 'library'}
          className="tab"
          onClick={() => useInspector.setState({ view: view === 'library' ? 'stream' : 'library' })}
        >
          Library
        </button>
        <div
          className="tabs"
          ref={navRef}
          // A mouse wheel scrolls the strip sideways (it only had Shift+wheel and the thin scrollbar).
          onWheel={(event) => {
            if (event.deltaX === 0) event.currentTarget.scrollLeft += event.deltaY
          }}
        >
          {order.map((id, i) => {
            const view = connections[id]!
            const name = names[i]!
            return (
              <span key={id} className="tab-wrap">
                <button
                  role="tab"
                  aria-selected={id === activeId}
                  aria-keyshortcuts="Delete"
                  className={`tab state-${view.state}`}
                  onClick={() => setActive(id)}
                  // Delete closes the focused tab (the × beside it is for the mouse: a tablist holds tabs only)
                  onKeyDown={(event) => {
                    if (event.key === 'Delete') void closeConnection(api, id)
                  }}
                  // A middle click closes it, as a browser's tab
                  onAuxClick={(event) => event.button === 1 && void closeConnection(api, id)}
                  title={`${redactUrl(view.request.url)}\n(Delete, middle-click or × to close)`}
                >
                  <span className="dot" /> {name}
                </button>
                <button
                  type="button"
                  className="tab-close"
                  aria-hidden="true"
                  tabIndex={-1}
                  title="Close: disconnects it (its recording stays in the Library)"
                  onClick={() => void closeConnection(api, id)}
                >
                  ×
                </button>
              </span>
            )
          })}
        </div>
      </div>
      <button
        type="button"
        className="ghost new-tab"
        onClick={() => useInspector.setState({ activeId: undefined, selectedRow: undefined })}
      >
        + New
      </button>
    </nav>
  )
}
