import { createParser, type EventSourceParser, type ParseError } from 'eventsource-parser'
import type { StreamRecord, WarningCode } from './stream-records.ts'
import { Utf8ChunkDecoder, type DecodedChunk } from './utf8-chunk-decoder.ts'

/** Where and when the bytes being framed arrived. */
export type PushContext = { chunkSeq: number; atMs: number; attempt: number }

export type FramerOptions = {
  maxEventBytes: number
  /** The last event ID string carried over from the previous connection. */
  lastEventId: string
  nextSeq: () => number
}

/** Frames one response body (one connection attempt) into event, retry, comment and warning records. */
export type Framer = {
  /** Frames the next network chunk, appending the records it completes to `out`. */
  push(bytes: Uint8Array, context: PushContext, out: StreamRecord[]): void
  /** End of body: flushes the decoder and reports an event the spec discards for lack of a final blank line. */
  end(context: PushContext, out: StreamRecord[]): void
  /** [spec] the event source's last event ID string, updated at each dispatch. */
  readonly lastEventId: string
  /** The last valid `retry:` value seen, if any. */
  readonly retryMs: number | undefined
  /** Set once a line or event exceeded maxEventBytes; the framer then ignores further input. */
  readonly isTooLarge: boolean
}

const LF = 10
const CR = 13
const PREVIEW_CHARS = 80

/**
 * Wraps eventsource-parser (which does the spec's line and field parsing) and adds what an inspector needs:
 * byte ranges and carrying chunks for every record, and warnings for what the spec silently ignores.
 *
 * The parser dispatches an event when it reads a blank line. We find blank lines ourselves and feed the
 * parser one block at a time, so every event dispatched during a feed ends at that block's end.
 */
export function createFramer(options: FramerOptions): Framer {
  const decoder = new Utf8ChunkDecoder()
  let lastEventId = options.lastEventId
  let isTooLarge = false
  let retryMs: number | undefined
  let out: StreamRecord[] = []
  let context: PushContext = { chunkSeq: 0, atMs: 0, attempt: 0 }

  // The block being framed: from just after the last blank line to the end of the piece being fed.
  let blockStartByte = 0
  let blockStartChunkSeq = 0
  let isBlockStartPending = true // the next block starts with the next chunk
  let pieceEndByte = 0

  // Line scanning state carried across chunks. The parser is only ever fed complete lines: it drops
  // warnings for a line split across feeds, and what we report must not depend on chunking.
  let isCrPending = false // the previous text ended with CR: a following LF belongs to it
  let partialLine: string[] = [] // the unfinished last line, in fragments (joined once it ends)
  let partialLineLength = 0
  let hasSeenText = false
  let isBomAhead = false
  const warned = new Set<WarningCode>()

  // End-of-stream probe: feed a blank line and see whether the parser had an event pending.
  let isProbing = false
  let discardedData: string | undefined

  const range = () => ({
    startByte: blockStartByte,
    endByte: pieceEndByte,
    firstChunkSeq: blockStartChunkSeq,
    lastChunkSeq: context.chunkSeq,
  })

  const warn = (code: WarningCode, message: string, withRange = true): void => {
    const base = {
      kind: 'warning',
      seq: options.nextSeq(),
      atMs: context.atMs,
      attempt: context.attempt,
      code,
      message,
    } as const
    out.push(withRange ? { ...base, ...range() } : base)
  }

  const warnOnce = (code: WarningCode, message: string): void => {
    if (warned.has(code)) return
    warned.add(code)
    warn(code, message, false)
  }

  const parser: EventSourceParser = createParser({
    maxBufferSize: options.maxEventBytes,
    onId(id) {
      if (!isProbing) lastEventId = id
    },
    onEvent(event) {
      if (isProbing) {
        discardedData = event.data
        return
      }
      out.push({
        kind: 'event',
        seq: options.nextSeq(),
        atMs: context.atMs,
        attempt: context.attempt,
        type: event.event ?? 'message',
        data: event.data,
        id: event.id,
        lastEventId,
        startByte: blockStartByte,
        endByte: pieceEndByte,
        firstChunkSeq: blockStartChunkSeq,
        lastChunkSeq: context.chunkSeq,
      })
    },
    onRetry(ms) {
      if (isProbing) return
      retryMs = ms
      out.push({
        kind: 'retry',
        seq: options.nextSeq(),
        atMs: context.atMs,
        attempt: context.attempt,
        ms,
        ...range(),
      })
    },
    onComment(text) {
      if (isProbing) return
      out.push({
        kind: 'comment',
        seq: options.nextSeq(),
        atMs: context.atMs,
        attempt: context.attempt,
        text,
        ...range(),
      })
    },
    onError(error: ParseError) {
      if (isProbing) return
      if (error.type === 'max-buffer-size-exceeded') {
        isTooLarge = true
      } else if (error.type === 'invalid-retry') {
        warn('invalid-retry', `retry value ${JSON.stringify(error.value)} is not only ASCII digits; ignored`)
      } else {
        warn(
          'unknown-field',
          `unknown field ${JSON.stringify(error.field)} ignored (line ${preview(error.line ?? '')})`,
        )
      }
    },
  })

  /** Feeds text[from, to) — whole lines — to the parser as one piece ending at stream byte `endByte`. */
  const feed = (text: string, from: number, to: number, endByte: number): void => {
    if (from >= to || isTooLarge) return
    pieceEndByte = endByte
    const piece = from === 0 && to === text.length ? text : text.slice(from, to)
    if (piece.indexOf('\0') !== -1) checkNulInId(piece)
    if (!warned.has('invalid-utf8') && piece.indexOf('\uFFFD') !== -1) {
      warnOnce(
        'invalid-utf8',
        'stream contains bytes that are not valid UTF-8 (or U+FFFD itself); shown as U+FFFD',
      )
    }
    parser.feed(piece)
  }

  const startNewBlock = (isAtChunkEnd: boolean): void => {
    blockStartByte = pieceEndByte
    blockStartChunkSeq = context.chunkSeq
    isBlockStartPending = isAtChunkEnd
  }

  /** Holds an unfinished line back until its terminator arrives; fails past the size limit. */
  const holdPartialLine = (fragment: string): void => {
    if (fragment === '') return
    partialLine.push(fragment)
    partialLineLength += fragment.length
    if (partialLineLength > options.maxEventBytes) {
      isTooLarge = true
      partialLine = []
    }
  }

  /** Scans the complete lines of a chunk for blank lines, feeding the parser one block at a time. */
  const frameText = (decoded: DecodedChunk): void => {
    const fresh = decoded.text
    if (fresh.length === 0) return
    if (!hasSeenText) {
      hasSeenText = true
      if (fresh.charCodeAt(0) === 0xfeff) {
        // [spec] "One leading U+FEFF BYTE ORDER MARK character must be ignored if any are present."
        // The parser strips it; we only step over it when looking for blank lines.
        warn('bom', 'stream starts with a UTF-8 byte order mark (stripped, as the spec says)', false)
        isBomAhead = true
      }
    }
    const lastTerm = Math.max(fresh.lastIndexOf('\n'), fresh.lastIndexOf('\r'))
    if (lastTerm === -1) return holdPartialLine(fresh)
    const heldLength = partialLineLength
    const text = heldLength === 0 ? fresh : partialLine.join('') + fresh
    partialLine = []
    partialLineLength = 0
    const linesEnd = heldLength + lastTerm + 1
    // Boundaries always follow a terminator in the fresh text, never inside the held line.
    const byteAt = (charIndex: number) => decoded.byteAt(charIndex - heldLength)

    let pos = 0
    if (isBomAhead) {
      isBomAhead = false
      pos = 1
    }
    let pieceStart = 0
    const boundary = (end: number): void => {
      feed(text, pieceStart, end, byteAt(end))
      pieceStart = end
      startNewBlock(end === text.length)
    }

    if (isCrPending) {
      isCrPending = false
      if (text.charCodeAt(pos) === LF)
        pos++ // the second half of a CRLF split across chunks
      else warnOnce('cr-line-endings', 'lines end with a bare CR; some clients only split on LF')
    }

    // Every scan starts at a line start: what came before ended with a terminator.
    if (text.indexOf('\r', pos) === -1) {
      // Fast path, LF only: a blank line is an LF at a line start, or two LFs in a row.
      while (pos < linesEnd && text.charCodeAt(pos) === LF) boundary(++pos)
      for (let lf = text.indexOf('\n\n', pos); lf !== -1; lf = text.indexOf('\n\n', lf + 1)) boundary(lf + 2)
    } else {
      while (pos < linesEnd) {
        const cr = text.indexOf('\r', pos)
        const lf = text.indexOf('\n', pos)
        const term = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf)
        let termEnd = term + 1
        if (text.charCodeAt(term) === CR) {
          if (termEnd === text.length) isCrPending = true
          else if (text.charCodeAt(termEnd) === LF) termEnd++
          else warnOnce('cr-line-endings', 'lines end with a bare CR; some clients only split on LF')
        }
        if (term === pos) boundary(termEnd) // an empty line
        pos = termEnd
      }
    }
    feed(text, pieceStart, linesEnd, byteAt(linesEnd))
    if (linesEnd < text.length) holdPartialLine(text.slice(linesEnd))
  }

  const checkNulInId = (piece: string): void => {
    for (let nul = piece.indexOf('\0'); nul !== -1; nul = piece.indexOf('\0', nul + 1)) {
      // Pieces start at a line start, so the line begins after the last terminator before the NUL.
      const lineStart = Math.max(piece.lastIndexOf('\n', nul), piece.lastIndexOf('\r', nul)) + 1
      if (piece.startsWith('id:', lineStart)) {
        // [spec] "If the field value does not contain U+0000 NULL, then set the last event ID buffer…"
        warn('nul-in-id', 'an id field contains U+0000 NULL; the spec ignores the whole field', false)
        return
      }
    }
  }

  return {
    push(bytes, pushContext, target) {
      if (isTooLarge) return
      context = pushContext
      out = target
      if (isBlockStartPending && bytes.length > 0) {
        blockStartChunkSeq = pushContext.chunkSeq
        isBlockStartPending = false
      }
      frameText(decoder.decode(bytes))
    },
    end(pushContext, target) {
      context = pushContext
      out = target
      if (isTooLarge) return
      frameText(decoder.flush())
      // An unterminated last line: hand it to the parser so the probe below sees its data.
      if (partialLineLength > 0) parser.feed(partialLine.join(''))
      partialLine = []
      isProbing = true
      parser.feed('\n\n')
      isProbing = false
      if (discardedData !== undefined) {
        warn(
          'discarded-at-eof',
          `stream ended inside an event (no final blank line); the spec discards it: data ${preview(discardedData)}`,
        )
      }
      parser.reset()
    },
    get lastEventId() {
      return lastEventId
    },
    get retryMs() {
      return retryMs
    },
    get isTooLarge() {
      return isTooLarge
    },
  }
}

function preview(text: string): string {
  return JSON.stringify(text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text)
}
