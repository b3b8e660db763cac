import { createParser, type EventSourceParser, type ParseError } from 'eventsource-parser'
import type { EventRecord, StreamRecord, WarningCode } from './stream-records.ts'
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
 * The parser dispatches an event when it reads a blank line. We find the blank lines ourselves (one
 * native scan) and feed the parser all complete blocks of a chunk at once. When the parser reports
 * exactly one event per block and nothing else — the common case — event i is block i. Otherwise the
 * blocks are framed again one at a time by a second parser, so every record still gets its exact block.
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
  let isBlockOpenInParser = false // the main parser holds lines of an unfinished block

  // Line state carried across chunks. The parsers are only ever fed complete lines: eventsource-parser
  // drops warnings for a line split across feeds, and what we report must not depend on chunking.
  let isCrPending = false // the previous text ended with CR: a following LF belongs to it
  let partialLine: string[] = [] // the unfinished last line, in fragments (joined once it ends)
  let partialLineLength = 0
  let isNulHeld = false
  let hasSeenText = false
  const warned = new Set<WarningCode>()
  const boundaries: number[] = [] // blank-line ends (char positions) in the current text

  // Speculative framing of many blocks in one feed: records wait for their seq and range until checked.
  let isSpeculating = false
  let eventsSeen = 0
  let othersSeen = 0
  // End-of-stream probe: feed a blank line and see whether the parser had an event pending.
  let isProbing = false
  let discardedData: string | undefined
  let isPriming = false

  const takeSeq = () => (isSpeculating ? -1 : options.nextSeq())

  const range = () => ({
    startByte: blockStartByte,
    endByte: pieceEndByte,
    firstChunkSeq: blockStartChunkSeq,
    lastChunkSeq: context.chunkSeq,
  })

  const warn = (code: WarningCode, message: string, withRange = true): void => {
    const base = {
      kind: 'warning',
      seq: takeSeq(),
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

  const isQuiet = () => isProbing || isPriming

  const callbacks = {
    maxBufferSize: options.maxEventBytes,
    onId(id: string) {
      if (!isQuiet()) lastEventId = id
    },
    onEvent(event: { event?: string; data: string; id?: string }) {
      if (isPriming) return
      if (isProbing) {
        discardedData = event.data
        return
      }
      eventsSeen++
      out.push({
        kind: 'event',
        seq: takeSeq(),
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
    onRetry(ms: number) {
      if (isQuiet()) return
      othersSeen++
      retryMs = ms
      out.push({
        kind: 'retry',
        seq: takeSeq(),
        atMs: context.atMs,
        attempt: context.attempt,
        ms,
        ...range(),
      })
    },
    onComment(text: string) {
      if (isQuiet()) return
      othersSeen++
      out.push({
        kind: 'comment',
        seq: takeSeq(),
        atMs: context.atMs,
        attempt: context.attempt,
        text,
        ...range(),
      })
    },
    onError(error: ParseError) {
      if (isQuiet()) return
      othersSeen++
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
  }

  /** A parser that never strips a BOM: we strip exactly one ourselves, so two parsers agree. */
  const primedParser = (): EventSourceParser => {
    const parser = createParser(callbacks)
    isPriming = true
    parser.feed(':\n') // ends the parser's BOM check with a comment line that is not reported
    isPriming = false
    return parser
  }
  let parser = primedParser()
  let blockParser: EventSourceParser | undefined // for re-framing block by block; made when first needed

  const startNewBlock = (endChar: number, textLength: number): void => {
    blockStartByte = pieceEndByte
    blockStartChunkSeq = context.chunkSeq
    isBlockStartPending = endChar === textLength
  }

  /** Feeds text[from, to) — whole lines ending a block at `to` — to `target`, with exact ranges. */
  const feedBlock = (
    target: EventSourceParser,
    text: string,
    from: number,
    to: number,
    endByte: number,
  ): void => {
    if (isTooLarge) return
    pieceEndByte = endByte
    const piece = text.slice(from, to)
    if (piece.indexOf('\0') !== -1) checkNulInId(piece)
    target.feed(piece)
    startNewBlock(to, text.length)
  }

  /** Frames the blocks ending at `boundaries`, starting at `from`: all at once, or one by one if needed. */
  const feedBlocks = (
    text: string,
    from: number,
    byteAt: (charIndex: number) => number,
    hasNul: boolean,
  ): void => {
    let first = 0
    if (isBlockOpenInParser && boundaries.length > 0) {
      // The main parser holds the start of the first block: it must see the rest itself.
      feedBlock(parser, text, from, boundaries[0]!, byteAt(boundaries[0]!))
      isBlockOpenInParser = false
      from = boundaries[0]!
      first = 1
    }
    const count = boundaries.length - first
    if (count <= 0 || isTooLarge) return
    const end = boundaries[boundaries.length - 1]!
    // A NUL may be an id the parser silently ignores: frame block by block to warn at the right block.
    const canSpeculate = !hasNul
    if (canSpeculate) {
      const mark = out.length
      const lastEventIdBefore = lastEventId
      const retryMsBefore = retryMs
      eventsSeen = 0
      othersSeen = 0
      isSpeculating = true
      pieceEndByte = byteAt(end)
      parser.feed(from === 0 && end === text.length ? text : text.slice(from, end))
      isSpeculating = false
      if (othersSeen === 0 && eventsSeen === count) {
        // One event per block, nothing else: event i is block i.
        let startByte = blockStartByte
        let startChunk = blockStartChunkSeq
        for (let i = 0; i < count; i++) {
          const record = out[mark + i] as EventRecord
          const endByte = byteAt(boundaries[first + i]!)
          record.seq = options.nextSeq()
          record.startByte = startByte
          record.endByte = endByte
          record.firstChunkSeq = startChunk
          startByte = endByte
          startChunk = context.chunkSeq
        }
        pieceEndByte = byteAt(end)
        startNewBlock(end, text.length)
        return
      }
      // Something else happened (a comment, a block without data…): frame the blocks one by one.
      out.length = mark
      lastEventId = lastEventIdBefore
      retryMs = retryMsBefore
      if (isTooLarge) {
        // The parser refuses input after an overflow; the blocks below find the oversized one exactly.
        isTooLarge = false
        parser = primedParser()
      }
    }
    blockParser ??= primedParser()
    for (let i = first; i < boundaries.length; i++) {
      const blockEnd = boundaries[i]!
      feedBlock(
        canSpeculate ? blockParser : parser,
        text,
        i === first ? from : boundaries[i - 1]!,
        blockEnd,
        byteAt(blockEnd),
      )
    }
  }

  /** Holds an unfinished line back until its terminator arrives; fails past the size limit. */
  const holdPartialLine = (fragment: string): void => {
    if (fragment === '') return
    if (fragment.indexOf('\0') !== -1) isNulHeld = true
    partialLine.push(fragment)
    partialLineLength += fragment.length
    if (partialLineLength > options.maxEventBytes) {
      isTooLarge = true
      partialLine = []
    }
  }

  /** Finds the blank lines among a chunk's complete lines and frames the blocks they end. */
  const frameText = (decoded: DecodedChunk): void => {
    const fresh = decoded.text
    if (fresh.length === 0) return
    let skip = 0
    if (!hasSeenText) {
      hasSeenText = true
      if (fresh.charCodeAt(0) === 0xfeff) {
        // [spec] "One leading U+FEFF BYTE ORDER MARK character must be ignored if any are present."
        warn('bom', 'stream starts with a UTF-8 byte order mark (stripped, as the spec says)', false)
        skip = 1
      }
    }
    if (!warned.has('invalid-utf8') && fresh.indexOf('\uFFFD') !== -1) {
      warnOnce(
        'invalid-utf8',
        'stream contains bytes that are not valid UTF-8 (or U+FFFD itself); shown as U+FFFD',
      )
    }
    const hasCr = fresh.indexOf('\r') !== -1
    if (!hasCr && fresh.indexOf('\n') === -1) return holdPartialLine(skip ? fresh.slice(skip) : fresh)
    const hasNul = isNulHeld || fresh.indexOf('\0') !== -1
    isNulHeld = false
    let pos = skip
    let text = fresh
    let heldLength = 0
    if (partialLineLength > 0 && !hasCr) {
      // Finish the held line on its own, so the chunk's text is scanned and sliced without a copy.
      const lineEnd = fresh.indexOf('\n') + 1
      pieceEndByte = decoded.byteAt(lineEnd)
      const line = partialLine.join('') + fresh.slice(0, lineEnd)
      partialLine = []
      partialLineLength = 0
      if (line.length > options.maxEventBytes) isTooLarge = true
      if (line.indexOf('\0') !== -1) checkNulInId(line)
      if (!isTooLarge) parser.feed(line)
      isBlockOpenInParser = true
      pos = lineEnd
    } else if (partialLineLength > 0) {
      heldLength = partialLineLength
      text = partialLine.join('') + fresh
      partialLine = []
      partialLineLength = 0
    }
    // Blank lines always end in the fresh text, never inside a held line.
    const alignedBase = decoded.baseByte - heldLength
    const byteAt = decoded.isAligned
      ? (charIndex: number) => alignedBase + charIndex
      : (charIndex: number) => decoded.byteAt(charIndex - heldLength)

    if (isCrPending) {
      isCrPending = false
      if (text.charCodeAt(pos) === LF) {
        parser.feed('\n') // the second half of a CRLF split across chunks; the parser expects it
        pos++
      } else {
        warnOnce('cr-line-endings', 'lines end with a bare CR; some clients only split on LF')
      }
    }
    const start = pos
    boundaries.length = 0
    let linesEnd: number
    let openFrom: number // where the block still open after this text starts
    if (!hasCr) {
      // Fast path, LF only: a blank line is an LF at a line start, or two LFs in a row.
      while (pos < text.length && text.charCodeAt(pos) === LF) boundaries.push(++pos)
      for (let lf = text.indexOf('\n\n', pos); lf !== -1; lf = text.indexOf('\n\n', lf + 1))
        boundaries.push(lf + 2)
      openFrom = boundaries.length > 0 ? boundaries[boundaries.length - 1]! : start
      linesEnd = openFrom
      for (let lf = text.indexOf('\n', openFrom); lf !== -1; lf = text.indexOf('\n', lf + 1))
        linesEnd = lf + 1
      feedBlocks(text, start, byteAt, hasNul)
    } else {
      // Any line ending: walk every terminator, framing block by block (CR streams are rare).
      openFrom = start
      for (;;) {
        const cr = text.indexOf('\r', pos)
        const lf = text.indexOf('\n', pos)
        const term = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf)
        if (term === -1) break
        let termEnd = term + 1
        if (text.charCodeAt(term) === CR) {
          if (termEnd === text.length) isCrPending = true
          else if (text.charCodeAt(termEnd) === LF) termEnd++
          else warnOnce('cr-line-endings', 'lines end with a bare CR; some clients only split on LF')
        }
        if (term === pos) {
          // An empty line ends the block.
          feedBlock(parser, text, openFrom, termEnd, byteAt(termEnd))
          isBlockOpenInParser = false
          openFrom = termEnd
        }
        pos = termEnd
      }
      linesEnd = pos
    }
    if (linesEnd > openFrom && !isTooLarge) {
      // Complete lines of a block still open: the parser reports their comments and retries now.
      pieceEndByte = byteAt(linesEnd)
      const piece = text.slice(openFrom, linesEnd)
      if (piece.indexOf('\0') !== -1) checkNulInId(piece)
      parser.feed(piece)
      isBlockOpenInParser = true
    }
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
      if (isTooLarge) return
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
