import { redactUrl } from '../../../shared/redact-headers.ts'
import { closeConnection } from '../actions.ts'
import { useApi } from '../api-context.ts'
import { useInspector } from '../store/inspector-store.ts'

/** One tab per connection opened in this session. */
export function ConnectionTabs() {
  const order = useInspector((s) => s.order)
  const connections = useInspector((s) => s.connections)
  const activeId = useInspector((s) => s.activeId)
  const setActive = useInspector((s) => s.setActive)
  const view = useInspector((s) => s.view)
  const api = useApi()
  return (
    <nav className="tabs" role="tablist" aria-label="Connections">
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
      {order.map((id) => {
        const view = connections[id]!
        const label = (() => {
          try {
            return new URL(view.request.url).pathname
          } catch {
            return view.request.url
          }
        })()
        const name = view.recordingName
          ? `Replay: ${view.recordingName}`
          : `${view.request.method ?? 'GET'} ${label}`
        return (
          <span key={id} className="tab-wrap">
            <button
              role="tab"
              aria-selected={id === activeId}
              className={`tab state-${view.state}`}
              onClick={() => setActive(id)}
              // A middle click closes it, as a browser's tab
              onAuxClick={(event) => event.button === 1 && void closeConnection(api, id)}
              title={`${redactUrl(view.request.url)}\n(middle-click or × to close)`}
            >
              <span className="dot" /> {name}
            </button>
            <button
              type="button"
              className="tab-close"
              aria-label={`Close ${name}`}
              title="Close: disconnects it (its recording stays in the Library)"
              onClick={() => void closeConnection(api, id)}
            >
              ×
            </button>
          </span>
        )
      })}
      <button
        type="button"
        className="ghost"
        onClick={() => useInspector.setState({ activeId: undefined, selectedRow: undefined })}
      >
        + New
      </button>
    </nav>
  )
}
