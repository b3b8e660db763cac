import { useState } from 'react'
import { AssembledPanel } from './assembled-panel.tsx'
import { EventDetail } from './event-detail.tsx'
import { RawBytesPanel } from './raw-bytes-panel.tsx'
import { StatsPanel } from './stats-panel.tsx'

const TABS = [
  { id: 'detail', label: 'Detail' },
  { id: 'assembled', label: 'Assembled' },
  { id: 'stats', label: 'Statistics' },
  { id: 'raw', label: 'Raw bytes' },
] as const

/** The right-hand pane: the selected row's detail, the assembled LLM message, statistics, raw bytes. */
export function SidePanel() {
  const [tab, setTab] = useState<(typeof TABS)[number]['id']>('detail')
  return (
    <div className="side-panel">
      <div className="side-tabs" role="tablist" aria-label="Views">
        {TABS.map((t) => (
          <button
            key={t.id}
            id={`side-tab-${t.id}`}
            role="tab"
            aria-selected={tab === t.id}
            aria-controls="side-body"
            className="tab"
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {/* Focusable, so a pane longer than the window scrolls from the keyboard too. */}
      <div
        className="side-body"
        id="side-body"
        role="tabpanel"
        aria-labelledby={`side-tab-${tab}`}
        tabIndex={0}
      >
        {tab === 'detail' && <EventDetail />}
        {tab === 'assembled' && <AssembledPanel />}
        {tab === 'stats' && <StatsPanel />}
        {tab === 'raw' && <RawBytesPanel />}
      </div>
    </div>
  )
}
