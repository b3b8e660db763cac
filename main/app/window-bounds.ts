import { readFileSync, writeFileSync } from 'node:fs'

export type WindowBounds = { x?: number; y?: number; width: number; height: number }
/** A display's work area (Electron's Rectangle). */
export type ScreenArea = { x: number; y: number; width: number; height: number }

/** How much of the window's top strip (where it is dragged from) must be on a display to keep the position. */
const GRIP = { width: 100, height: 40 }

/** Whether enough of the window's top strip lies on one of the displays to drag it by. */
function isReachable(x: number, y: number, width: number, areas: readonly ScreenArea[]): boolean {
  return areas.some((area) => {
    const overlapWidth = Math.min(x + width, area.x + area.width) - Math.max(x, area.x)
    const overlapHeight = Math.min(y + GRIP.height, area.y + area.height) - Math.max(y, area.y)
    return overlapWidth >= GRIP.width && overlapHeight >= GRIP.height
  })
}

/**
 * The last window size and position, or the fallback when none was saved (or the file is damaged).
 * A position on no display of `areas` (the monitor it was on is gone) is dropped: the window opens
 * centred instead of out of sight.
 */
export function loadWindowBounds(
  file: string,
  fallback: WindowBounds,
  areas?: readonly ScreenArea[],
): WindowBounds {
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<WindowBounds>
    const isSize = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n >= 400 && n <= 10_000
    if (!isSize(saved.width) || !isSize(saved.height)) return fallback
    const isPosition = (n: unknown) => typeof n === 'number' && Number.isFinite(n)
    const hasPosition =
      isPosition(saved.x) &&
      isPosition(saved.y) &&
      (areas === undefined || isReachable(saved.x!, saved.y!, saved.width!, areas))
    return {
      width: saved.width!,
      height: saved.height!,
      ...(hasPosition ? { x: saved.x, y: saved.y } : {}),
    }
  } catch {
    return fallback
  }
}

export function saveWindowBounds(file: string, bounds: WindowBounds): void {
  try {
    writeFileSync(file, JSON.stringify(bounds))
  } catch {
    // Losing the window size is not worth an error dialog.
  }
}
