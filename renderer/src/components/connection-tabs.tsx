import { useInspector } from '../store/inspector-store.ts'

/** One tab per connection opened in this session. */
export function ConnectionTabs() {
  const order = useInspector((s) => s.order)
  const connections = useInspector((s) => s.connections)
  const activeId = useInspector((s) => s.activeId)
  const setActive = useInspector((s) => s.setActive)
  const view = useInspector((s) => s.view)
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
        return (
          <button
            key={id}
            role="tab"
            aria-selected={id === activeId}
            className={`tab state-${view.state}`}
            onClick={() => setActive(id)}
            title={view.request.url}
          >
            <span className="dot" />{' '}
            {view.recordingName
              ? `Replay: ${view.recordingName}`
              : `${view.request.method ?? 'GET'} ${label}`}
          </button>
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
