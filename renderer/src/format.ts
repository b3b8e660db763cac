/** Bytes as B, KiB or MiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}

/** Local clock time HH:MM:SS, with milliseconds unless asked not to. */
export function clockTime(atMs: number, hasMillis = true): string {
  const date = new Date(atMs)
  const pad = (n: number, width = 2) => String(n).padStart(width, '0')
  const base = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  return hasMillis ? `${base}.${pad(date.getMilliseconds(), 3)}` : base
}
