export { formatBytes } from '../../shared/format-bytes.ts'
import { controlChars, withInvisibleEscaped } from '../../shared/control-chars.ts'

/** Local clock time HH:MM:SS, with milliseconds unless asked not to. */
export function clockTime(atMs: number, hasMillis = true): string {
  const date = new Date(atMs)
  const pad = (n: number, width = 2) => String(n).padStart(width, '0')
  const base = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  return hasMillis ? `${base}.${pad(date.getMilliseconds(), 3)}` : base
}

/** What went wrong, as a line for the error banner: an Error's message, not "Error: …" or "[object …]". */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * Text for a one-line preview with what would not show, or would reorder what follows, made visible:
 * C0 controls as their control pictures (ESC as ␛), the rest as escapes (\u202e).
 */
export function visibleControls(text: string, options: { keepsNewlines?: boolean } = {}): string {
  return text.replace(controlChars(options), (char) => {
    const code = char.charCodeAt(0)
    if (code < 0x20) return String.fromCharCode(0x2400 + code)
    if (code === 0x7f) return '\u2421'
    return code <= 0xff ? `\\x${code.toString(16)}` : `\\u${code.toString(16)}`
  })
}

/** An id as it has to be read back, exactly: controls made visible, and every invisible character. */
export function visibleId(id: string): string {
  return withInvisibleEscaped(visibleControls(id))
}

/**
 * A measured interval at the precision it is read at: 0.4 ms, 30.2 ms, 850 ms, 12.3 s, then as
 * formatDuration. Figures shown side by side (median, p95, max) need the same rule, or a max rounded
 * to 31 ms reads as less than a p95 of 31.3 ms.
 */
export function formatInterval(ms: number): string {
  return ms < 100 ? `${ms.toFixed(1)} ms` : formatDuration(ms)
}

/** A duration as people read it: 850 ms, 12.3 s, 4 min 5 s, 3 h 20 min, 115 d 17 h. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const [minutes, hours, days] = [
    Math.floor(ms / 60_000),
    Math.floor(ms / 3_600_000),
    Math.floor(ms / 86_400_000),
  ]
  if (hours === 0) return `${minutes} min ${Math.floor((ms % 60_000) / 1000)} s`
  if (days === 0) return `${hours} h ${minutes % 60} min`
  return `${days} d ${hours % 24} h`
}
