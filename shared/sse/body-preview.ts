const BODY_PREVIEW_CHARS = 300

/** A body's text on one line, shortened: for a message (what a refused response said). */
export function bodyPreview(parts: readonly Uint8Array[]): string {
  const decoder = new TextDecoder()
  const text = parts.map((part) => decoder.decode(part, { stream: true })).join('') + decoder.decode()
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > BODY_PREVIEW_CHARS ? `${line.slice(0, BODY_PREVIEW_CHARS)}…` : line
}
