import { readFileSync, writeFileSync } from 'node:fs'

export type WindowBounds = { x?: number; y?: number; width: number; height: number }

/** The last window size and position, or the fallback when none was saved (or the file is damaged). */
export function loadWindowBounds(file: string, fallback: WindowBounds): WindowBounds {
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<WindowBounds>
    const isSize = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n >= 400 && n <= 10_000
    if (!isSize(saved.width) || !isSize(saved.height)) return fallback
    const isPosition = (n: unknown) => typeof n === 'number' && Number.isFinite(n)
    return {
      width: saved.width!,
      height: saved.height!,
      ...(isPosition(saved.x) && isPosition(saved.y) ? { x: saved.x, y: saved.y } : {}),
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
