import { useCallback, useState } from 'react'
import { ChecksPanel } from './components/checks-panel.tsx'
import { ConnectionBar } from './components/connection-bar.tsx'
import { ConnectionTabs } from './components/connection-tabs.tsx'
import { EventList } from './components/event-list.tsx'
import { Examples } from './components/examples.tsx'
import { FilterBar } from './components/filter-bar.tsx'
import { LibraryPanel } from './components/library-panel.tsx'
import { OpenFileInput } from './components/open-file-input.tsx'
import { PaneSplitter, useSidePaneWidth } from './components/pane-splitter.tsx'
import { RequestEditor } from './components/request-editor.tsx'
import { DismissibleBanner } from './components/dismissible-banner.tsx'
import { ServerLinkBanner } from './components/server-link-banner.tsx'
import { ShortcutsHelp } from './components/shortcuts-help.tsx'
import { SidePanel } from './components/side-panel.tsx'
import { ThemePicker } from './components/theme-picker.tsx'
import { Timeline } from './components/timeline.tsx'
import { useGlobalShortcuts } from './shortcuts.ts'
import { useWindowFileDrop } from './file-drop.ts'
import { useLeaveWarning } from './leave-warning.ts'
import { useInspector } from './store/inspector-store.ts'

/** The inspector window: request editor, tabs, connection header, event list and detail. */
export function App() {
  const activeId = useInspector((s) => s.activeId)
  const error = useInspector((s) => s.error)
  const notice = useInspector((s) => s.notice)
  const view = useInspector((s) => s.view)
  const [isHelpOpen, setHelpOpen] = useState(false)
  const [sideWidth, setSideWidth] = useSidePaneWidth()
  const openHelp = useCallback(() => setHelpOpen(true), [])
  useGlobalShortcuts(openHelp)
  useWindowFileDrop()
  useLeaveWarning(window.sseInspector === undefined)
  return (
    <div className="app">
      <header className="top">
        <h1 className="brand">SSE Inspector</h1>
        <OpenFileInput />
        <RequestEditor />
        <ThemePicker />
        <button
          type="button"
          className="ghost help-button"
          aria-label="Keyboard shortcuts"
          title="Keyboard shortcuts (?)"
          onClick={openHelp}
        >
          ?
        </button>
      </header>
      {isHelpOpen && <ShortcutsHelp onClose={() => setHelpOpen(false)} />}
      <ServerLinkBanner />
      <DismissibleBanner
        kind="error"
        text={error}
        onDismiss={() => useInspector.getState().setError(undefined)}
      />
      <DismissibleBanner
        kind="notice"
        text={notice}
        onDismiss={() => useInspector.getState().setNotice(undefined)}
      />
      <ConnectionTabs />
      <main className="view">
        {view === 'checks' ? (
          <ChecksPanel />
        ) : view === 'library' ? (
          <LibraryPanel />
        ) : activeId ? (
          <>
            <ConnectionBar />
            <Timeline />
            <FilterBar />
            <div
              className="panes"
              style={
                sideWidth === undefined
                  ? undefined
                  : { gridTemplateColumns: `minmax(0, 1fr) auto ${sideWidth}px` }
              }
            >
              <EventList />
              <PaneSplitter width={sideWidth} onWidth={setSideWidth} />
              <SidePanel />
            </div>
          </>
        ) : (
          <Examples />
        )}
      </main>
    </div>
  )
}
