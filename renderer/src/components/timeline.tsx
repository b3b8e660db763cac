import { useCallback, useEffect, useRef, useState } from 'react'
import {
  axisTicks,
  bucketize,
  fit,
  follow,
  lowerBound,
  msAt,
  nearestIndex,
  pan,
  silences,
  xOf,
  zoom,
  type TimeView,
} from '../../../shared/timeline/timeline-model.ts'
import { formatBytes } from '../../../shared/format-bytes.ts'
import { clockTime } from '../format.ts'
import { ROW_KIND_CODES } from '../store/event-log.ts'
import { logOf, useInspector } from '../store/inspector-store.ts'
import { useStoredFlag } from '../stored-flag.ts'
import { useTheme } from '../theme.ts'
import { useMediaQuery } from '../media-query.ts'
import { measureCost } from '../measure-cost.ts'

const AXIS = 18
const EVENTS_TOP = AXIS + 4

/** Where the tracks sit: a short window gets thinner ones (its event list has few rows to spare). */
type TrackLayout = {
  height: number
  eventsH: number
  rateTop: number
  rateH: number
  chunkTop: number
  chunkH: number
}

function trackLayout(isShort: boolean): TrackLayout {
  const eventsH = isShort ? 28 : 44
  const rateH = isShort ? 22 : 40
  const gap = isShort ? 4 : 6
  const chunkH = isShort ? 12 : 28
  const rateTop = EVENTS_TOP + eventsH + gap
  const chunkTop = rateTop + rateH + gap
  return { height: chunkTop + chunkH + 4, eventsH, rateTop, rateH, chunkTop, chunkH }
}
/** Below this window height the timeline takes its short layout. */
const SHORT_WINDOW_QUERY = '(max-height: 700px)'
const FULL_LAYOUT = trackLayout(false)
const SHORT_LAYOUT = trackLayout(true)
const SILENCE_MS = 2000
const PALETTE = ['#3a6ff7', '#12a150', '#9e77ed', '#0ba5ec', '#f79009', '#ee46bc', '#66c61c', '#15b79e']
const KIND = ROW_KIND_CODES

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback
}

/**
 * The timeline above the event list: every event as a mark coloured by type, lifecycle markers,
 * silences shaded, an events/s and bytes/s track and a network-chunk track. Wheel zooms, drag pans,
 * shift-drag brushes a time range that filters the list; clicking a mark selects its row.
 */
export function Timeline() {
  const activeId = useInspector((s) => s.activeId)
  const version = useInspector((s) => (s.activeId ? (s.connections[s.activeId]?.version ?? 0) : 0))
  const selectedRow = useInspector((s) => s.selectedRow)
  const theme = useTheme((s) => s.theme) // the colours are read from the stylesheet: redraw when they change
  const filter = useInspector((s) => s.filter)
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const [width, setWidth] = useState(800)
  const [view, setView] = useState<TimeView>()
  const [isFollowing, setFollowing] = useState(true)
  const [hover, setHover] = useState<{ x: number; text: string }>()
  const [brush, setBrush] = useState<[number, number]>()
  const drag = useRef<{ x: number; view: TimeView; isBrush: boolean; moved: boolean }>(undefined)
  // Hidden, it gives its height to the event list (a short window has little to spare).
  const [isHidden, setHidden] = useStoredFlag('sse-inspector.timelineHidden.v1')
  const layout = useMediaQuery(SHORT_WINDOW_QUERY) ? SHORT_LAYOUT : FULL_LAYOUT
  const log = logOf(activeId)
  const isShowing = log !== undefined && view !== undefined && !isHidden

  useEffect(() => {
    const canvas = canvasRef.current
    if (!canvas) return
    const observer = new ResizeObserver(([entry]) =>
      setWidth(Math.max(200, Math.floor(entry!.contentRect.width))),
    )
    observer.observe(canvas.parentElement!)
    return () => observer.disconnect()
    // The canvas mounts once there is something to show.
  }, [isShowing])

  // Follow the live end (or fit everything) as rows arrive.
  const lastMs = log && log.columns.length > 0 ? log.columns.times[log.columns.length - 1]! : undefined
  const firstMs = log?.firstAtMs
  useEffect(() => {
    if (firstMs === undefined || lastMs === undefined) return
    setView((current) => {
      if (!current) return fit(firstMs, lastMs)
      if (!isFollowing) return current
      return lastMs - firstMs < current.endMs - current.startMs
        ? fit(firstMs, lastMs)
        : follow(current, lastMs)
    })
  }, [firstMs, lastMs, isFollowing, version])
  useEffect(() => {
    setView(undefined)
    setFollowing(true)
  }, [activeId])

  const selectedMs = selectedRow === undefined ? undefined : log?.row(selectedRow)?.atMs

  const draw = useCallback(() => {
    const canvas = canvasRef.current
    if (!canvas || !log || !view) return
    const drawStartMs = performance.now()
    const ratio = window.devicePixelRatio || 1
    canvas.width = width * ratio
    canvas.height = layout.height * ratio
    const g = canvas.getContext('2d')!
    g.setTransform(ratio, 0, 0, ratio, 0, 0)
    g.clearRect(0, 0, width, layout.height)
    const fg = cssVar('--fg', '#1d2330')
    const muted = cssVar('--muted', '#5d6679')
    const line = cssVar('--line', '#e2e5ea')
    const background = cssVar('--bg', '#ffffff')
    const { times, codes, values, length } = log.columns
    const x = (ms: number) => xOf(ms, view, width)

    // Silences, over every track.
    g.fillStyle = line
    for (const [a, b] of silences(times, length, SILENCE_MS, view))
      g.fillRect(x(a), AXIS, Math.max(1, x(b) - x(a)), layout.height - AXIS)
    // Brushed range.
    const range = brush ?? filter.timeRange
    if (range) {
      g.fillStyle = 'rgba(58, 111, 247, 0.15)'
      g.fillRect(x(range[0]), AXIS, x(range[1]) - x(range[0]), layout.height - AXIS)
    }
    // Axis.
    g.fillStyle = muted
    g.font = '10px system-ui, sans-serif'
    for (const tick of axisTicks(view, Math.max(2, Math.floor(width / 110)))) {
      const tx = x(tick.ms)
      g.fillRect(tx, AXIS - 4, 1, 4)
      g.fillText(clockTime(tick.ms, tick.stepMs < 1000), tx + 2, AXIS - 6)
    }
    // Events and markers: one mark per row when sparse, density when more than one per pixel.
    const from = lowerBound(times, length, view.startMs)
    const to = lowerBound(times, length, view.endMs)
    const isDense = to - from > width * 2
    if (isDense) {
      const counts = bucketize(times, length, view, width)
      const max = Math.max(1, ...counts)
      g.fillStyle = PALETTE[0]!
      counts.forEach((count, px) => {
        if (count > 0)
          g.fillRect(
            px,
            EVENTS_TOP + layout.eventsH * (1 - Math.max(0.1, count / max)),
            1,
            layout.eventsH * Math.max(0.1, count / max),
          )
      })
    }
    for (let i = from; i < to; i++) {
      const code = codes[i]!
      const mx = x(times[i]!)
      if (code === KIND.event) {
        if (isDense) continue
        g.fillStyle = PALETTE[values[i]! % PALETTE.length]!
        g.fillRect(mx - 1, EVENTS_TOP + 8, 2, layout.eventsH - 16)
      } else if (code === KIND.comment) {
        g.fillStyle = muted
        g.fillRect(mx, EVENTS_TOP + layout.eventsH - 6, 1, 6)
      } else if (code === KIND.retry) {
        g.fillStyle = '#9e77ed'
        g.fillRect(mx - 2, EVENTS_TOP, 4, 4)
      } else if (code === KIND.warning) {
        g.fillStyle = '#f79009'
        g.beginPath()
        g.moveTo(mx, EVENTS_TOP)
        g.lineTo(mx + 4, EVENTS_TOP + 7)
        g.lineTo(mx - 4, EVENTS_TOP + 7)
        g.fill()
      } else if (code === KIND.annotation) {
        g.fillStyle = '#ee46bc'
        g.fillRect(mx - 1, AXIS, 2, 10)
      } else if (code === KIND.reconnect || code === KIND.close || code === KIND.error) {
        g.fillStyle = '#d92d20'
        g.fillRect(mx, AXIS, code === KIND.reconnect ? 1 : 2, layout.height - AXIS)
        if (code === KIND.reconnect) {
          const row = log.row(log.evicted + i)
          if (row?.kind === 'reconnect' && row.delayMs > 0) {
            g.fillStyle = 'rgba(217, 45, 32, 0.12)'
            g.fillRect(mx, AXIS, x(times[i]! + row.delayMs) - mx, layout.height - AXIS)
          }
        }
      }
    }
    // Rate track: events per bucket (bars) and bytes per bucket (line).
    // Buckets of at least 100 ms, so the rate reads as a rate, not as single events.
    const buckets = Math.max(
      1,
      Math.min(Math.floor(width / 4), Math.floor((view.endMs - view.startMs) / 100)),
    )
    const eventTimes = log.eventColumns
    const eventCounts = bucketize(eventTimes.times, eventTimes.length, view, buckets)
    const maxEvents = Math.max(1, ...eventCounts)
    const bucketWidth = width / buckets
    g.fillStyle = PALETTE[0]! + '99'
    eventCounts.forEach((count, b) => {
      const h = (count / maxEvents) * layout.rateH
      if (count > 0)
        g.fillRect(b * bucketWidth, layout.rateTop + layout.rateH - h, Math.max(1, bucketWidth - 1), h)
    })
    const chunks = log.chunkColumns
    const byteCounts = bucketize(chunks.times, chunks.length, view, buckets, chunks.values)
    const maxBytes = Math.max(1, ...byteCounts)
    g.strokeStyle = '#12a150'
    g.beginPath()
    byteCounts.forEach((bytes, b) => {
      const y = layout.rateTop + layout.rateH - (bytes / maxBytes) * layout.rateH
      if (b === 0) g.moveTo(0, y)
      else g.lineTo(b * bucketWidth, y)
    })
    g.stroke()
    // What the two tracks are and their scale, on a backing so the bars under them do not hide them.
    const bucketSeconds = (view.endMs - view.startMs) / buckets / 1000
    const label = (text: string, color: string, side: 'left' | 'right') => {
      const textWidth = g.measureText(text).width
      const left = side === 'left' ? 2 : width - textWidth - 6
      g.fillStyle = background
      g.globalAlpha = 0.8
      g.fillRect(left, layout.rateTop + 1, textWidth + 4, 12)
      g.globalAlpha = 1
      g.fillStyle = color
      g.fillText(text, left + 2, layout.rateTop + 10)
    }
    // The scale is at least 1 (no division by 0); the labels say the peak itself (none is none).
    const peakEvents = eventCounts.some((count) => count > 0) ? maxEvents : 0
    const peakBytes = byteCounts.some((bytes) => bytes > 0) ? maxBytes : 0
    label(`${Math.round(peakEvents / bucketSeconds)} events/s max`, PALETTE[0]!, 'left')
    label(`${formatBytes(Math.round(peakBytes / bucketSeconds))}/s max`, '#12a150', 'right')
    // Chunk track: one tick per network read, taller for bigger reads (bursts stand out).
    const cFrom = lowerBound(chunks.times, chunks.length, view.startMs)
    const cTo = lowerBound(chunks.times, chunks.length, view.endMs)
    g.fillStyle = fg
    for (let i = cFrom; i < cTo; i++) {
      const h = Math.max(2, Math.min(layout.chunkH, (Math.log2(1 + chunks.values[i]!) / 17) * layout.chunkH))
      g.fillRect(x(chunks.times[i]!), layout.chunkTop + layout.chunkH - h, 1, h)
    }
    g.fillStyle = muted
    g.fillText('chunks', 4, layout.chunkTop + 8)
    // The selected row.
    if (selectedMs !== undefined) {
      g.fillStyle = cssVar('--accent', '#3a6ff7')
      g.fillRect(x(selectedMs) - 1, AXIS, 2, layout.height - AXIS)
    }
    // Draw cost, for benchmarks and the browser's performance panel.
    measureCost('timeline-draw', drawStartMs)
  }, [log, view, width, brush, filter.timeRange, selectedMs, theme, layout])

  useEffect(() => {
    const frame = requestAnimationFrame(draw)
    return () => cancelAnimationFrame(frame)
  }, [draw, version])

  if (!log || !view) return <section className="timeline" aria-label="Timeline" />
  const toggle = (
    <button
      type="button"
      id="timeline-toggle"
      className="ghost"
      aria-expanded={!isHidden}
      title="Show or hide the timeline (t)"
      onClick={() => setHidden(!isHidden)}
    >
      {isHidden ? 'Show timeline' : 'Hide timeline'}
    </button>
  )
  if (isHidden) {
    return (
      <section className="timeline" aria-label="Timeline">
        <div className="timeline-toolbar">{toggle}</div>
      </section>
    )
  }

  const rowAtX = (px: number): number | undefined => {
    const { times, codes, length } = log.columns
    const ms = msAt(px, view, width)
    const tolerance = ((view.endMs - view.startMs) / width) * 6
    const i = nearestIndex(times, length, ms, tolerance)
    if (i === undefined) return undefined
    // Prefer an event at that spot over a marker.
    for (const j of [i, i - 1, i + 1])
      if (j >= 0 && j < length && codes[j] === KIND.event && Math.abs(times[j]! - ms) <= tolerance)
        return log.evicted + j
    return log.evicted + i
  }
  const offsetX = (e: React.MouseEvent) => e.clientX - e.currentTarget.getBoundingClientRect().left

  const zoomBy = (factor: number, anchorMs?: number) => {
    setFollowing(false)
    setView((v) => (v ? zoom(v, factor, anchorMs) : v))
  }
  const onKeyDown = (e: React.KeyboardEvent) => {
    const span = view.endMs - view.startMs
    const actions: Record<string, () => void> = {
      '+': () => zoomBy(1.5),
      '=': () => zoomBy(1.5),
      '-': () => zoomBy(1 / 1.5),
      '0': () => log.firstAtMs !== undefined && lastMs !== undefined && setView(fit(log.firstAtMs, lastMs)),
      ArrowLeft: () => (setFollowing(false), setView(pan(view, -span * 0.1))),
      ArrowRight: () => (setFollowing(false), setView(pan(view, span * 0.1))),
      f: () => setFollowing(true),
    }
    const action = actions[e.key]
    if (action) {
      e.preventDefault()
      action()
    }
  }
  const selectedX = selectedMs === undefined ? undefined : Math.round(xOf(selectedMs, view, width))

  return (
    <section className="timeline" aria-label="Timeline">
      <div className="timeline-toolbar">
        <button type="button" className="ghost" aria-label="Zoom in" onClick={() => zoomBy(1.5)}>
          +
        </button>
        <button type="button" className="ghost" aria-label="Zoom out" onClick={() => zoomBy(1 / 1.5)}>
          −
        </button>
        <button
          type="button"
          className="ghost"
          onClick={() => {
            setFollowing(false)
            if (log.firstAtMs !== undefined && lastMs !== undefined) setView(fit(log.firstAtMs, lastMs))
          }}
        >
          Fit all
        </button>
        <label className="check">
          <input type="checkbox" checked={isFollowing} onChange={(e) => setFollowing(e.target.checked)} />
          Follow live
        </label>
        {filter.timeRange && (
          <button
            type="button"
            className="ghost"
            onClick={() => useInspector.getState().setFilter({ ...filter, timeRange: undefined })}
          >
            Clear time range
          </button>
        )}
        <span className="muted">wheel: zoom · drag: pan · shift-drag: filter to a range · click: select</span>
        <span className="timeline-toggle">{toggle}</span>
      </div>
      <div className="timeline-canvas" onKeyDown={onKeyDown} tabIndex={0}>
        <canvas
          ref={canvasRef}
          style={{ width, height: layout.height }}
          role="img"
          aria-label={`${log.columns.length} rows from ${new Date(view.startMs).toISOString()} to ${new Date(view.endMs).toISOString()}`}
          data-selected-x={selectedX}
          onWheel={(e) => zoomBy(e.deltaY < 0 ? 1.25 : 1 / 1.25, msAt(offsetX(e), view, width))}
          onMouseDown={(e) => {
            drag.current = { x: offsetX(e), view, isBrush: e.shiftKey, moved: false }
          }}
          onMouseMove={(e) => {
            const px = offsetX(e)
            const d = drag.current
            if (d) {
              if (Math.abs(px - d.x) > 3) d.moved = true
              if (d.isBrush) {
                const a = msAt(d.x, d.view, width)
                const b = msAt(px, d.view, width)
                setBrush([Math.min(a, b), Math.max(a, b)])
              } else if (d.moved) {
                setFollowing(false)
                setView(pan(d.view, msAt(d.x, d.view, width) - msAt(px, d.view, width)))
              }
              return
            }
            const index = rowAtX(px)
            const row = index === undefined ? undefined : log.row(index)
            if (!row) return setHover(undefined)
            const text =
              row.kind === 'event'
                ? `${row.type}${row.id ? ` #${row.id}` : ''}: ${row.data.slice(0, 120)}`
                : row.kind === 'reconnect'
                  ? `reconnect in ${row.delayMs} ms`
                  : row.kind === 'comment'
                    ? `: ${row.text.slice(0, 80)}`
                    : row.kind
            setHover({ x: px, text })
          }}
          onMouseLeave={() => setHover(undefined)}
          onMouseUp={(e) => {
            const d = drag.current
            drag.current = undefined
            if (d?.isBrush && brush) {
              useInspector.getState().setFilter({ ...filter, timeRange: brush })
              setBrush(undefined)
              return
            }
            if (!d?.moved) {
              const index = rowAtX(offsetX(e))
              if (index !== undefined) useInspector.getState().select(index)
            }
          }}
        />
        {hover && (
          <div className="timeline-hover" style={{ left: Math.min(hover.x + 8, width - 260) }} role="tooltip">
            {hover.text}
          </div>
        )}
      </div>
    </section>
  )
}
