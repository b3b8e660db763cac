import { useCallback, useLayoutEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react'

const KEY = 'sse-inspector.sidePaneWidth.v1'
const MIN_SIDE = 260
const MIN_LIST = 320
const STEP = 32

function loadWidth(): number | undefined {
  try {
    const width = Number(localStorage.getItem(KEY))
    return Number.isFinite(width) && width >= MIN_SIDE ? width : undefined
  } catch {
    return undefined
  }
}

function storeWidth(width: number | undefined): void {
  try {
    if (width === undefined) localStorage.removeItem(KEY)
    else localStorage.setItem(KEY, String(Math.round(width)))
  } catch {
    // Storage unavailable: the width lasts until the window closes.
  }
}

/** The side pane's width in px, kept across restarts; undefined while the stylesheet's default applies. */
export function useSidePaneWidth(): [number | undefined, (width: number | undefined) => void] {
  const [width, setWidth] = useState(loadWidth)
  const set = useCallback((next: number | undefined) => {
    setWidth(next)
    storeWidth(next)
  }, [])
  return [width, set]
}

/** Keeps both panes usable: the side pane at least MIN_SIDE wide, the list at least MIN_LIST. */
const clampWidth = (width: number, total: number) =>
  Math.round(Math.max(MIN_SIDE, Math.min(width, total - MIN_LIST)))

/**
 * The handle between the event list and the side pane: drag it, or focus it and press ←/→ (Home/End
 * for the narrowest and widest); a double click goes back to the default split.
 */
export function PaneSplitter({
  width,
  onWidth,
}: {
  width: number | undefined
  onWidth: (width: number | undefined) => void
}) {
  // The default split's width, measured: a separator that can be moved says where it is (aria-valuenow).
  const [defaultSide, setDefaultSide] = useState<number>()
  const handleRef = useRef<HTMLDivElement>(null)
  useLayoutEffect(() => {
    if (width !== undefined || !handleRef.current) return
    setDefaultSide(Math.round(measure(handleRef.current).side))
  }, [width])
  const measure = (handle: HTMLElement) => ({
    total: handle.parentElement?.getBoundingClientRect().width ?? window.innerWidth,
    side: (handle.nextElementSibling as HTMLElement | null)?.getBoundingClientRect().width ?? MIN_SIDE,
  })
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return
    const handle = event.currentTarget
    handle.setPointerCapture(event.pointerId)
    const right = handle.parentElement?.getBoundingClientRect().right ?? window.innerWidth
    const { total } = measure(handle)
    const onMove = (move: globalThis.PointerEvent) => onWidth(clampWidth(right - move.clientX, total))
    const onUp = () => {
      handle.removeEventListener('pointermove', onMove)
      handle.removeEventListener('pointerup', onUp)
      handle.removeEventListener('pointercancel', onUp)
    }
    handle.addEventListener('pointermove', onMove)
    handle.addEventListener('pointerup', onUp)
    handle.addEventListener('pointercancel', onUp)
    event.preventDefault() // no text selection while dragging
  }
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const { total, side } = measure(event.currentTarget)
    const next =
      event.key === 'ArrowLeft'
        ? side + STEP
        : event.key === 'ArrowRight'
          ? side - STEP
          : event.key === 'Home'
            ? total
            : event.key === 'End'
              ? MIN_SIDE
              : undefined
    if (next === undefined) return
    event.preventDefault()
    event.stopPropagation()
    onWidth(clampWidth(next, total))
  }
  return (
    <div
      className="pane-splitter"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize the event list and the detail pane"
      ref={handleRef}
      aria-valuenow={width ?? defaultSide ?? MIN_SIDE}
      aria-valuemin={MIN_SIDE}
      title="Drag to resize (←/→ when focused); double-click for the default split"
      tabIndex={0}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
      onDoubleClick={() => onWidth(undefined)}
    />
  )
}
