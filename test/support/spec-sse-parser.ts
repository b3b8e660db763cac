// A reference for the framer, written from the HTML standard's "Parsing an event stream" and
// "Interpreting an event stream" (§9.2.5–9.2.6), independent of eventsource-parser: slow and plain.

/** What a reader of the stream sees: events (with the spec's last event ID string), retries, comments. */
export type SpecRecord =
  | { kind: 'event'; type: string; data: string; id: string | undefined; lastEventId: string }
  | { kind: 'retry'; ms: number }
  | { kind: 'comment'; text: string }

/** Parses a whole body as the spec says; `lastEventId` is the string carried over from a previous connection. */
export function parseAsSpecSays(body: Uint8Array, lastEventId = ''): SpecRecord[] {
  // [spec] "Streams must be decoded using the UTF-8 decode algorithm": one leading BOM stripped, bad bytes U+FFFD.
  const text = new TextDecoder().decode(body)
  // [spec] lines end with CRLF, LF or CR; the last piece without one is no line (the spec discards it).
  const lines = text.split(/\r\n|\n|\r/).slice(0, -1)
  const out: SpecRecord[] = []
  let data = ''
  let type = ''
  let idBuffer = lastEventId
  let blockId: string | undefined
  for (const line of lines) {
    if (line === '') {
      // [spec] "Dispatch the event": the last event ID string is set even when no event is dispatched.
      lastEventId = idBuffer
      if (data !== '')
        out.push({
          kind: 'event',
          type: type || 'message',
          data: data.endsWith('\n') ? data.slice(0, -1) : data,
          id: blockId,
          lastEventId,
        })
      data = ''
      type = ''
      blockId = undefined
      continue
    }
    if (line.startsWith(':')) {
      out.push({ kind: 'comment', text: line.slice(1).replace(/^ /, '') })
      continue
    }
    const colon = line.indexOf(':')
    const field = colon < 0 ? line : line.slice(0, colon)
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
    if (field === 'event') type = value
    else if (field === 'data') data += value + '\n'
    else if (field === 'id' && !value.includes('\0')) {
      idBuffer = value
      blockId = value
    } else if (field === 'retry' && /^[0-9]+$/.test(value)) out.push({ kind: 'retry', ms: Number(value) })
  }
  return out
}
