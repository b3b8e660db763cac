export { formatBytes } from '../../shared/format-bytes.ts'

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
