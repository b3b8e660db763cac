import { createParser, type EventSourceParser, type ParseError } from 'eventsource-parser'
import type { EventRecord, StreamRecord, WarningCode } from './stream-records.ts'
import { Utf8ChunkDecoder, type DecodedChunk } from './utf8-chunk-decoder.ts'

/** Where and when the bytes being framed arrived. */
export type PushContext = { chunkSeq: number; atMs: number; attempt: number }

/** A stream's record numbering: the framer takes the numbers it needs from `next`. */
export type SeqCounter = { next: number }

export type FramerOptions = {
  maxEventBytes: number
  /** The last event ID string carried over from the previous connection. */
  lastEventId: string
  seqs: SeqCounter
  /** Records the last chunk must have framed for the next to be fed whole (tests set 0: always try). */
  wholeChunkMinRecords?: number
  /**
   * Where in the body the first byte pushed sits (default 0, the body's start): a recording read on
   * past damage frames the rest of a body from there. Past the start, a U+FEFF is no BOM.
   */
  startByte?: number
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
const SPACE = 32
const COLON = 58
const LOWER_D = 100
const LOWER_E = 101
const LOWER_I = 105
const LOWER_R = 114
const PREVIEW_CHARS = 80
/** specBlockStart while the first event to dispatch is the open block, which started in an earlier chunk. */
const OPEN_BLOCK = -1
/** Chunks framed the careful way after the whole-chunk feed failed, before it is tried again (doubling). */
const WHOLE_CHUNK_COOLDOWN = 8
const WHOLE_CHUNK_COOLDOWN_MAX = 1024
/**
 * Whole chunks pay off for many small events a chunk; a chunk carrying few large ones is framed faster
 * the careful way (the parser reads a long line once, not chunk by chunk).
 */
const WHOLE_CHUNK_MIN_RECORDS = 8
/** A chunk without LF at least this long is fed at once; shorter ones wait for the next. */
const UNFED_MAX_CHARS = 256
/** The longest field name the parser checks a held line's start against ("retry:", "event:"). */
const FIELD_PREFIX_CHARS = 6

/**
 * Wraps eventsource-parser (which does the spec's line and field parsing) and adds what an inspector needs:
 * byte ranges and carrying chunks for every record, and warnings for what the spec silently ignores.
 *
 * The parser dispatches an event when it reads a blank line. We feed it all complete blocks of a chunk
 * at once and, as it dispatches, find each event's block from the event's length (a search where that
 * cannot tell). When blocks and events match one to one — the common case, which is checked — event i
 * is block i. Otherwise the blocks are framed again line by line by a second parser, so every record
 * still gets its exact range: an event its block, a comment, retry or warning its line.
 *
 * A stream of many small events a chunk is framed faster still, chunk by chunk (whole-chunk mode, below),
 * while its chunks allow; the careful path above takes over for any chunk that does not fit.
 */
export function createFramer(options: FramerOptions): Framer {
  const firstByte = options.startByte ?? 0
  const decoder = new Utf8ChunkDecoder(firstByte)
  let lastEventId = options.lastEventId
  let isTooLarge = false
  let retryMs: number | undefined
  let out: StreamRecord[] = []
  let context: PushContext = { chunkSeq: 0, atMs: 0, attempt: 0 }

  // The block being framed: from just after the last blank line to the end of the piece being fed.
  let blockStartByte = firstByte
  let blockStartChunkSeq = 0
  let isBlockStartPending = true // the next block starts with the next chunk
  let pieceEndByte = firstByte
  let isBlockOpenInParser = false // the main parser holds lines of an unfinished block
  // The line being fed: comments, retries and warnings cover their own line.
  let lineStartByte = firstByte
  let lineStartChunkSeq = 0

  // Line state carried across chunks. The parsers are only ever fed complete lines: eventsource-parser
  // drops warnings for a line split across feeds, and what we report must not depend on chunking.
  let isCrPending = false // the previous text ended with CR: a following LF belongs to it
  let partialLine: string[] = [] // the unfinished last line, in fragments (joined once it ends)
  let partialLineLength = 0
  let partialLineStartByte = 0
  let partialLineStartChunkSeq = 0
  let heldCharsInText = 0 // a held line that starts the current text (CR path)
  let textHasCr = false
  let isTailFed = false // the open lines after the last blank line went to the parser with the blocks
  let hasSeenText = firstByte > 0
  const warned = new Set<WarningCode>()
  const boundaries: number[] = [] // block ends (char positions) in the current text

  // Speculative framing of many blocks in one feed: records take provisional seqs and ranges, kept only
  // if the blocks turn out to match the events one to one.
  let isSpeculating = false
  let eventsSeen = 0
  let othersSeen = 0
  let idsSeen = 0
  let eventsWithId = 0
  // Each event's block end, found from its length as it is dispatched (see blockEndByLength), while that works.
  let isSpecByLength = false
  let specText = ''
  let specBlockStart = 0
  /** Zeroes what a feed of many blocks at once is judged by, for `text` with its first block at `blockStart`. */
  const beginSpeculation = (text: string, blockStart: number): void => {
    eventsSeen = 0
    othersSeen = 0
    idsSeen = 0
    eventsWithId = 0
    isSpecByLength = true
    specText = text
    specBlockStart = blockStart
  }
  // End-of-stream probe: feed a blank line and see whether the parser had an event pending.
  let isProbing = false
  let discardedData: string | undefined
  let isQuiet = false // priming or probing: the parser's reports are ours, not the stream's

  const seqs = options.seqs
  const takeSeq = () => (isSpeculating ? -1 : seqs.next++)

  const range = () => ({
    startByte: lineStartByte,
    endByte: pieceEndByte,
    firstChunkSeq: lineStartChunkSeq,
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

  /** An event record, dispatched now (the last event ID string as it stands, this chunk its last). */
  const pushEvent = (
    seq: number,
    type: string | undefined,
    data: string,
    id: string | undefined,
    startByte: number,
    endByte: number,
    firstChunkSeq: number,
  ): void => {
    out.push({
      kind: 'event',
      seq,
      atMs: context.atMs,
      attempt: context.attempt,
      type: type ?? 'message',
      data,
      id,
      lastEventId,
      startByte,
      endByte,
      firstChunkSeq,
      lastChunkSeq: context.chunkSeq,
    })
  }

  /**
   * Whether framing has stopped: this line or event, which arrived complete, is past the limit, or an
   * earlier one was. The parser's own limit only sees what it holds between feeds, and the limit must
   * not depend on chunking.
   */
  const exceedsLimit = (length: number): boolean => {
    if (length > options.maxEventBytes) isTooLarge = true
    return isTooLarge
  }

  const callbacks = {
    maxBufferSize: options.maxEventBytes,
    onId(id: string) {
      if (isQuiet || isTooLarge) return
      idsSeen++
      lastEventId = id
    },
    onEvent(event: { event?: string; data: string; id?: string }) {
      if (isQuiet) {
        if (isProbing) discardedData = event.data
        return
      }
      if (exceedsLimit(event.data.length)) return
      const { event: type, data, id } = event
      // While speculating, the seq is provisional (taken if the blocks match) and so is the range.
      let seq: number
      let startByte = blockStartByte
      let endByte = pieceEndByte
      let firstChunkSeq = blockStartChunkSeq
      if (isSpeculating) {
        seq = seqs.next + eventsSeen
        if (id !== undefined) eventsWithId++
        if (isSpecByLength) {
          const blockEnd = blockEndByLength(specText, specBlockStart, type, id, data)
          if (blockEnd === -1) {
            isSpecByLength = false
          } else {
            const base = textAlignedBase // inlined byteAt: one byte per character, the common case
            if (eventsSeen > 0) {
              startByte = base !== -1 ? base + specBlockStart : byteAt(specBlockStart)
              firstChunkSeq = context.chunkSeq
            }
            endByte = base !== -1 ? base + blockEnd : byteAt(blockEnd)
            specBlockStart = blockEnd
          }
        }
      } else {
        seq = seqs.next++
      }
      eventsSeen++
      pushEvent(seq, type, data, id, startByte, endByte, firstChunkSeq)
    },
    onRetry(ms: number) {
      if (isQuiet || isTooLarge) return
      othersSeen++
      // [spec] "interpret the field value as an integer in base ten": Chromium reads it as a 64-bit
      // unsigned integer and ignores one that does not fit (here it would be Infinity, null in JSON).
      if (ms >= 2 ** 64)
        return warn(
          'invalid-retry',
          'retry value is larger than 2^64 − 1 ms (more than any client keeps); ignored, as browsers do',
        )
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
      if (isQuiet || exceedsLimit(text.length)) return
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
      if (isQuiet || exceedsLimit(error.line?.length ?? 0)) return
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
    isQuiet = true
    parser.feed(':\n') // ends the parser's BOM check with a comment line that is not reported
    isQuiet = false
    return parser
  }
  let parser = primedParser()
  let blockParser: EventSourceParser | undefined // for re-framing block by block; made when first needed

  // The text being framed: its byte offsets. One function for the framer's life, not one per chunk: a
  // call target that changes with every chunk makes V8 throw away the optimized code that calls it.
  let textDecoded: DecodedChunk | undefined
  let textAlignedBase = 0 // byte offset of text[0] when one character is one byte, else -1
  /** Byte offset in the body just after text[charIndex - 1]. Blank lines always end in the fresh text. */
  const byteAt = (charIndex: number): number =>
    textAlignedBase !== -1 ? textAlignedBase + charIndex : textDecoded!.byteAt(charIndex - heldCharsInText)

  const startNewBlock = (endChar: number, textLength: number): void => {
    blockStartByte = pieceEndByte
    blockStartChunkSeq = context.chunkSeq
    isBlockStartPending = endChar === textLength
  }

  /** Feeds the complete lines text[from, to) to `target` one at a time, so each record gets its line. */
  const feedLines = (target: EventSourceParser, text: string, from: number, to: number): void => {
    if (!textHasCr && isQuietLines(text, from, to)) {
      // Only data, id and event lines: nothing reported needs its own line, so one feed does.
      lineStartByte = from < heldCharsInText ? partialLineStartByte : byteAt(from)
      lineStartChunkSeq = from < heldCharsInText ? partialLineStartChunkSeq : context.chunkSeq
      pieceEndByte = byteAt(to)
      target.feed(text.slice(from, to))
      return
    }
    for (let lineStart = from; lineStart < to && !isTooLarge;) {
      let lineEnd = text.indexOf('\n', lineStart)
      const cr = textHasCr ? text.indexOf('\r', lineStart) : -1
      if (cr !== -1 && (lineEnd === -1 || cr < lineEnd))
        lineEnd = text.charCodeAt(cr + 1) === LF ? cr + 1 : cr
      lineEnd = lineEnd === -1 || lineEnd >= to ? to : lineEnd + 1
      if (lineStart < heldCharsInText) {
        lineStartByte = partialLineStartByte
        lineStartChunkSeq = partialLineStartChunkSeq
      } else {
        lineStartByte = byteAt(lineStart)
        lineStartChunkSeq = context.chunkSeq
      }
      pieceEndByte = byteAt(lineEnd)
      const line = text.slice(lineStart, lineEnd)
      checkNulInId(line)
      target.feed(line)
      lineStart = lineEnd
    }
  }

  /** Feeds text[from, to) — whole lines ending a block at `to` — to `target`, with exact ranges. */
  const feedBlock = (target: EventSourceParser, text: string, from: number, to: number): void => {
    if (isTooLarge) return
    feedLines(target, text, from, to)
    pieceEndByte = byteAt(to)
    startNewBlock(to, text.length)
  }

  /**
   * Frames the complete blocks text[from, end): all at once when the parser reports one event per block
   * and nothing else (the common case), else one block at a time. The main parser holds no open block.
   */
  const feedBlocks = (text: string, from: number, end: number, tailEnd: number): void => {
    if (isTooLarge || end <= from || feedBlocksAtOnce(text, from, end, tailEnd)) return
    blockParser ??= primedParser()
    for (let blockStart = from; blockStart < end;) {
      const blockEnd = blockEndAt(text, blockStart)
      feedBlock(blockParser, text, blockStart, blockEnd)
      blockStart = blockEnd
    }
  }

  /** Feeds the blocks to the main parser in one call; false (state undone) if ranges can't be matched. */
  const feedBlocksAtOnce = (text: string, from: number, end: number, tailEnd: number): boolean => {
    // An id with NUL is ignored by the parser without a word: such blocks go line by line, which warns.
    const nul = text.indexOf('\0', from)
    if (nul !== -1 && nul < end) return false
    const mark = out.length
    const lastEventIdBefore = lastEventId
    const retryMsBefore = retryMs
    beginSpeculation(text, from)
    isSpeculating = true
    pieceEndByte = byteAt(end)
    parser.feed(from === 0 && tailEnd === text.length ? text : text.slice(from, tailEnd))
    isSpeculating = false
    isTailFed = tailEnd > end
    specText = ''
    // Found by length, the ranges are exact if blocks and events match one to one: besides the checks
    // at each block's start (blockEndByLength), no comment, retry or unknown field (the parser reports
    // those), no NUL (so every id line is reported at its dispatch), as many ids reported as events
    // carrying one (no block held only an id), and the last block ending where the blocks end.
    if (othersSeen === 0 && isSpecByLength && specBlockStart === end && idsSeen === eventsWithId) {
      seqs.next += eventsSeen
      startNewBlock(end, text.length)
      return true
    }
    if (othersSeen === 0 && findBlockEnds(text, from, end)) {
      // One event per block, nothing else: event i is block i.
      let startByte = blockStartByte
      let startChunk = blockStartChunkSeq
      for (let i = 0; i < eventsSeen; i++) {
        const record = out[mark + i] as EventRecord
        const endByte = byteAt(boundaries[i]!)
        record.startByte = startByte
        record.endByte = endByte
        record.firstChunkSeq = startChunk
        startByte = endByte
        startChunk = context.chunkSeq
      }
      seqs.next += eventsSeen
      startNewBlock(end, text.length)
      return true
    }
    // Something else happened (a comment, a block without data…): the caller frames block by block.
    out.length = mark
    lastEventId = lastEventIdBefore
    retryMs = retryMsBefore
    if (isTooLarge) {
      // The parser refuses input after an overflow; block by block finds the oversized one exactly.
      isTooLarge = false
      isTailFed = false
      parser = primedParser()
    }
    return false
  }

  /** Finds every blank line; the blocks match the events only if there are as many. */
  const findBlockEnds = (text: string, from: number, end: number): boolean => {
    boundaries.length = 0
    for (let blockStart = from; blockStart < end && boundaries.length <= eventsSeen;) {
      blockStart = blockEndAt(text, blockStart)
      boundaries.push(blockStart)
    }
    return boundaries.length === eventsSeen
  }

  /** Holds an unfinished line back until its terminator arrives; fails past the size limit. */
  const holdPartialLine = (fragment: string, startByte: number): void => {
    if (fragment === '') return
    if (partialLineLength === 0) {
      partialLineStartByte = startByte
      partialLineStartChunkSeq = context.chunkSeq
    }
    partialLine.push(fragment)
    partialLineLength += fragment.length
    if (partialLineLength > options.maxEventBytes) {
      isTooLarge = true
      partialLine = []
    }
  }

  // Whole-chunk mode: the common stream (LF line endings, canonical blocks of one event each, nothing
  // else) is framed by feeding each chunk to a parser of its own as it came, as a bare parser is fed
  // (eventsource-parser reads a sliced or concatenated string slower than a flat one); that parser then
  // holds the open block's lines and the unfinished last line. The framer keeps the open block's text, so
  // that when a chunk does not fit (a comment, a CR, an id-only block…) it can hand that block to a fresh
  // main parser and frame the chunk the careful way instead: the feed is undone, never half-kept.
  let isWholeChunks = false
  let openFragments: string[] = [] // the open block's text, from blockStartByte to the end of the last chunk
  let openFirstSkip = 0 // characters of openFragments[0] before the open block (a chunk is kept whole)
  let openLength = 0
  let openHasData = false // the open block has a data line (or an unfinished line that starts like one)
  let openEndsWithLf = false // the last chunk ended with LF: a chunk starting with LF ends the open block
  let openPartialStart = 0 // where the unfinished last line starts in the open text (openLength if none)
  let openPartialStartByte = 0
  let openPartialStartChunkSeq = 0
  // Its first characters (the parser keeps or drops an unfinished line by them): text[at, at + 6).
  let openPartialHeadText = ''
  let openPartialHeadAt = 0
  // Small chunks without LF wait (as the last fragments of openFragments) to be fed with the next: a feed
  // per tiny piece costs more than the piece. Entering, the framer's unfinished line waits the same way.
  let unfedCount = 0
  let unfedLength = 0
  let isUnfedAtLineStart = false // the waiting text starts a line (the parser holds none of it)
  let wholeChunkCooldown = 0
  let wholeChunkFailures = 0 // in a row: a stream that never fits is tried ever more rarely
  let recordsInLastChunk = 0
  const wholeChunkMinRecords = options.wholeChunkMinRecords ?? WHOLE_CHUNK_MIN_RECORDS

  let isOpenTextAtLineStart = false // text[0] starts a line of the open block (not the rest of one)

  /** Where the open block ends in `text`: at its first blank line, if it dispatches (has data); else -1. */
  const openBlockEnd = (text: string): number => {
    // The unfed text that starts `text` holds no LF: searches start after it.
    const held = heldCharsInText
    let end: number
    if (openEndsWithLf && text.charCodeAt(0) === LF) end = 1
    else if ((end = text.indexOf('\n\n', held)) === -1) return -1
    else end += 2
    if (openHasData) return end
    // Its data line may come in this text (a line starting with "d" that is not data gets reported).
    for (let lineStart = isOpenTextAtLineStart ? 0 : text.indexOf('\n', held) + 1; lineStart < end - 1;) {
      if (text.charCodeAt(lineStart) === LOWER_D) return end
      lineStart = text.indexOf('\n', lineStart < held ? held : lineStart) + 1
    }
    return -1
  }

  /**
   * An event in whole-chunk mode: only a block in canonical form fits (`event: T`, `id: I`, `data: D`
   * lines, as blockEndByLength checks first), found by its length; anything else and the chunk is framed
   * the careful way. What else the block might hold the caller rules out (nothing reported, no
   * id-only block).
   */
  const onWholeEvent = (event: { event?: string; data: string; id?: string }): void => {
    if (!isSpecByLength) return // the chunk does not fit already
    const { event: type, data, id } = event
    if (data.length > options.maxEventBytes) {
      isSpecByLength = false // the careful path frames the chunk and stops at this event
      return
    }
    const text = specText
    const start = specBlockStart
    let end: number
    if (start === OPEN_BLOCK) {
      end = openBlockEnd(text)
    } else {
      end = opensOwnBlock(text, start, type) ? canonicalBlockEnd(text, start, type, id, data) : -1
    }
    if (end === -1) {
      isSpecByLength = false
      return
    }
    if (id !== undefined) eventsWithId++
    const base = textAlignedBase
    const isFirst = eventsSeen === 0
    pushEvent(
      seqs.next + eventsSeen,
      type,
      data,
      id,
      isFirst ? blockStartByte : base !== -1 ? base + start : byteAt(start),
      base !== -1 ? base + end : byteAt(end),
      isFirst ? blockStartChunkSeq : context.chunkSeq,
    )
    eventsSeen++
    specBlockStart = end
  }
  const countOther = (): void => void othersSeen++
  // Whole-chunk mode reports nothing but events: anything else means the chunk is framed again.
  const wholeCallbacks = {
    maxBufferSize: options.maxEventBytes,
    onId(id: string) {
      idsSeen++
      lastEventId = id
    },
    onEvent: onWholeEvent,
    onComment: countOther,
    onRetry: countOther,
    onError: countOther,
  }
  const wholeParser = createParser(wholeCallbacks)

  /**
   * Frames a chunk by feeding it whole, as a bare parser is fed: true if done, false (nothing kept, the
   * open block handed back to the main parser) if the chunk needs the careful path. Called only for
   * LF-only text with an LF and no NUL, with the main parser holding no block (see frameText).
   */
  const frameWholeChunk = (decoded: DecodedChunk): boolean => {
    const fresh = decoded.text
    if (!isWholeChunks) {
      // An id line with NUL must be fed alone, to be warned about (checkNulInId).
      if (partialLine.some((fragment) => fragment.indexOf('\0') !== -1)) return false
      // Entering: the framer's unfinished line (if any) opens the block and waits; the parser holds nothing.
      openFragments = partialLine
      openFirstSkip = 0
      openLength = partialLineLength
      openHasData = partialLineLength > 0 && partialLine[0]!.charCodeAt(0) === LOWER_D
      openEndsWithLf = false
      openPartialStart = 0
      openPartialStartByte = partialLineStartByte
      openPartialStartChunkSeq = partialLineStartChunkSeq
      unfedCount = partialLine.length
      unfedLength = partialLineLength
      isUnfedAtLineStart = true
      partialLine = []
      partialLineLength = 0
      isWholeChunks = true
      wholeParser.reset() // whatever it held when whole chunks last stopped
      wholeParser.feed(':\n') // ends its BOM check (see primedParser)
    }
    // The waiting text (no LF in it) goes first, in the same feed.
    const heldLength = unfedLength
    const text = unfedCount === 0 ? fresh : joinUnfed(fresh)
    heldCharsInText = heldLength
    textAlignedBase = decoded.isAligned ? decoded.baseByte - heldLength : -1
    textDecoded = decoded
    const isOpen = openLength > 0
    // Where the lines of this text start: text[0] continues the open block's unfinished line unless
    // the last chunk ended a line (or the block), or the waiting text starts one.
    const isFirstLineStart = !isOpen || (heldLength > 0 ? isUnfedAtLineStart : openEndsWithLf)
    isOpenTextAtLineStart = isFirstLineStart

    const mark = out.length
    const lastEventIdBefore = lastEventId
    beginSpeculation(text, isOpen ? OPEN_BLOCK : 0)
    wholeParser.feed(text)
    specText = ''

    let isFit = othersSeen === 0 && isSpecByLength && idsSeen === eventsWithId
    // The lines after the last dispatch stay open: no blank line among them (a block that dispatched
    // nothing), and an unfinished last line the parser keeps (it drops one that cannot be a field).
    const restStart = specBlockStart === OPEN_BLOCK ? 0 : specBlockStart
    let lineStart = restStart
    let isLineStart = eventsSeen > 0 || isFirstLineStart
    let hasData = eventsSeen > 0 ? false : openHasData
    const firstLf = isFit ? text.indexOf('\n', restStart < heldLength ? heldLength : restStart) : -1 // held: no LF
    for (let lf = firstLf; lf !== -1; lf = text.indexOf('\n', lineStart)) {
      if (lf === lineStart && isLineStart) {
        isFit = false
        break
      }
      if (isLineStart && text.charCodeAt(lineStart) === LOWER_D) hasData = true
      lineStart = lf + 1
      isLineStart = true
    }
    // The text has an LF, so an unfinished last line starts in it (later chunks without LF wait unfed).
    if (isFit && lineStart < text.length) {
      if (text.charCodeAt(lineStart) === LOWER_D) hasData = true
      isFit = isHeldByParser(text, lineStart)
    }
    const restLength = text.length - restStart
    if (isFit && (eventsSeen > 0 ? 0 : openLength) + fresh.length > options.maxEventBytes) {
      isFit = false // an open block that dispatches nothing keeps growing: the careful path bounds it
    }

    if (!isFit) {
      out.length = mark
      lastEventId = lastEventIdBefore
      leaveWholeChunks()
      wholeChunkFailures++
      wholeChunkCooldown = Math.min(
        WHOLE_CHUNK_COOLDOWN << (wholeChunkFailures - 1),
        WHOLE_CHUNK_COOLDOWN_MAX,
      )
      return false
    }
    wholeChunkFailures = 0
    seqs.next += eventsSeen
    if (eventsSeen > 0) {
      pieceEndByte = byteAt(restStart)
      startNewBlock(restStart, text.length)
      openFragments.length = 0
      openLength = 0
      openPartialStart = 0
    } else if (heldLength > 0) {
      openFragments.length -= unfedCount // part of `text` now
      openLength -= heldLength
    }
    unfedCount = 0
    unfedLength = 0
    if (restLength > 0) {
      // The fresh text has an LF: the unfinished last line (if any) starts in it, after the last one.
      openPartialStart = openLength + (lineStart - restStart)
      if (lineStart < text.length) {
        openPartialStartByte = byteAt(lineStart)
        openPartialStartChunkSeq = context.chunkSeq
      }
      if (openFragments.length === 0) openFirstSkip = restStart
      openFragments.push(text)
      openLength += restLength
    }
    openHasData = hasData
    openPartialHeadText = text
    openPartialHeadAt = lineStart
    openEndsWithLf = text.charCodeAt(text.length - 1) === LF
    heldCharsInText = 0
    return true
  }

  /** The first character of the line that `fresh` (a chunk without LF) goes on with, or starts. */
  const lineFirstChar = (fresh: string): number => {
    if (unfedCount > 0) {
      return isUnfedAtLineStart
        ? openFragments[openFragments.length - unfedCount]!.charCodeAt(0)
        : openPartialHeadText.charCodeAt(openPartialHeadAt)
    }
    return openLength === 0 || openEndsWithLf
      ? fresh.charCodeAt(0)
      : openPartialHeadText.charCodeAt(openPartialHeadAt)
  }

  /** The waiting fragments and `last` as one string: one copy (a concatenation is copied again when read). */
  const joinUnfed = (last?: string): string => {
    if (unfedCount === 1 && last === undefined) return openFragments[openFragments.length - 1]!
    const parts = openFragments.slice(openFragments.length - unfedCount)
    if (last !== undefined) parts.push(last)
    return parts.join('')
  }

  /**
   * A chunk without LF: the open block's last line goes on, and nothing can be reported. It waits if
   * small, else is fed (with what waits). False, nothing done, if the block would pass the size limit.
   */
  const continueLine = (decoded: DecodedChunk): boolean => {
    const fresh = decoded.text
    if (openLength + fresh.length > options.maxEventBytes) return false
    // An id line with NUL must reach the careful path, which warns (checkNulInId); other lines may hold NUL.
    if (lineFirstChar(fresh) === LOWER_I && fresh.indexOf('\0') !== -1) return false
    if (unfedCount === 0) {
      isUnfedAtLineStart = openLength === 0 || openEndsWithLf
      if (isUnfedAtLineStart) {
        openPartialStart = openLength
        openPartialStartByte = decoded.baseByte
        openPartialStartChunkSeq = context.chunkSeq
        if (fresh.charCodeAt(0) === LOWER_D) openHasData = true
      }
    }
    if (openFragments.length === 0) openFirstSkip = 0
    openFragments.push(fresh)
    openLength += fresh.length
    openEndsWithLf = false
    unfedCount++
    unfedLength += fresh.length
    if (unfedLength < UNFED_MAX_CHARS) return true
    const text = joinUnfed()
    // The parser keeps an unfinished line by its first characters (while it has few): judge as it does.
    let head = text
    if (!isUnfedAtLineStart) {
      head = openPartialHeadText.slice(openPartialHeadAt, openPartialHeadAt + FIELD_PREFIX_CHARS)
      if (head.length < FIELD_PREFIX_CHARS) head += text.slice(0, FIELD_PREFIX_CHARS - head.length)
    }
    if (!isHeldByParser(head, 0)) {
      leaveWholeChunks() // the framer holds the line (this chunk included) until it ends, and warns then
      return true
    }
    openPartialHeadText = head
    openPartialHeadAt = 0
    wholeParser.feed(text)
    unfedCount = 0
    unfedLength = 0
    return true
  }

  /** Back to line-by-line framing: a fresh parser takes the open block's complete lines, the framer its last one. */
  const leaveWholeChunks = (): void => {
    if (!isWholeChunks) return
    isWholeChunks = false
    const fragments = openFragments.length === 1 ? openFragments[0]! : openFragments.join('')
    const open = openFirstSkip === 0 ? fragments : fragments.slice(openFirstSkip)
    openFragments = []
    openLength = 0
    unfedCount = 0
    unfedLength = 0
    parser = primedParser()
    isQuiet = true // these lines were framed (and reported) already
    if (openPartialStart > 0) parser.feed(open.slice(0, openPartialStart))
    isQuiet = false
    isBlockOpenInParser = openPartialStart > 0
    partialLine = []
    partialLineLength = 0
    if (openPartialStart < open.length) {
      partialLine.push(open.slice(openPartialStart))
      partialLineLength = open.length - openPartialStart
      partialLineStartByte = openPartialStartByte
      partialLineStartChunkSeq = openPartialStartChunkSeq
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
    textHasCr = hasCr
    const hasLf = fresh.indexOf('\n') !== -1
    if (wholeChunkCooldown > 0) wholeChunkCooldown--
    else if (
      recordsInLastChunk >= wholeChunkMinRecords &&
      !hasCr &&
      skip === 0 &&
      !isCrPending &&
      (isWholeChunks || !isBlockOpenInParser) &&
      (hasLf
        ? fresh.indexOf('\0') === -1 && frameWholeChunk(decoded)
        : isWholeChunks && continueLine(decoded))
    ) {
      return
    }
    leaveWholeChunks()
    if (!hasCr && !hasLf) {
      return holdPartialLine(skip ? fresh.slice(skip) : fresh, decoded.byteAt(skip))
    }
    let pos = skip
    let text = fresh
    let heldLength = 0
    if (partialLineLength > 0 && !hasCr) {
      // Finish the held line on its own, so the chunk's text is scanned and sliced without a copy.
      const lineEnd = fresh.indexOf('\n') + 1
      lineStartByte = partialLineStartByte
      lineStartChunkSeq = partialLineStartChunkSeq
      pieceEndByte = decoded.byteAt(lineEnd)
      // One copy of the line: joined fragments, or two strings flattened once when the parser scans them.
      const rest = fresh.slice(0, lineEnd)
      if (partialLine.length > 1) partialLine.push(rest)
      const line = partialLine.length === 1 ? partialLine[0] + rest : partialLine.join('')
      partialLine = []
      partialLineLength = 0
      if (line.length > options.maxEventBytes) isTooLarge = true
      checkNulInId(line)
      if (!isTooLarge) parser.feed(line)
      isBlockOpenInParser = true
      pos = lineEnd
    } else if (partialLineLength > 0) {
      heldLength = partialLineLength
      partialLine.push(fresh)
      text = partialLine.join('')
      partialLine = []
      partialLineLength = 0
    }
    heldCharsInText = heldLength
    textAlignedBase = decoded.isAligned ? decoded.baseByte - heldLength : -1
    textDecoded = decoded

    if (isCrPending) {
      isCrPending = false
      if (text.charCodeAt(pos) === LF) {
        parser.feed('\n') // the second half of a CRLF split across chunks; the parser expects it
        pos++
      } else {
        warnOnce('cr-line-endings', 'lines end with a bare CR; some clients only split on LF')
      }
    }
    let linesEnd: number
    let openFrom: number // where the block still open after this text starts
    if (!hasCr) {
      // LF only. First the block the parser holds open, and any empty blocks, end at the first blank line.
      let from = pos
      for (;;) {
        let blockEnd: number
        if (text.charCodeAt(from) === LF) blockEnd = from + 1
        else if (!isBlockOpenInParser) break
        else if ((blockEnd = text.indexOf('\n\n', from)) === -1) break
        else blockEnd += 2
        feedBlock(parser, text, from, blockEnd)
        isBlockOpenInParser = false
        from = blockEnd
      }
      // Then the complete blocks up to the last blank line, and the lines after it.
      const lastBlank = lastIndexFrom(text, '\n\n', from)
      openFrom = lastBlank !== -1 ? lastBlank + 2 : from
      linesEnd = openFrom
      for (let lf = text.indexOf('\n', openFrom); lf !== -1; lf = text.indexOf('\n', lf + 1))
        linesEnd = lf + 1
      // Open lines that report nothing (data, id, event) ride along with the blocks: one feed, not two.
      const tailEnd = linesEnd > openFrom && isQuietLines(text, openFrom, linesEnd) ? linesEnd : openFrom
      feedBlocks(text, from, openFrom, tailEnd)
    } else {
      // Any line ending: walk every terminator, framing block by block (CR streams are rare).
      openFrom = pos
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
          feedBlock(parser, text, openFrom, termEnd)
          isBlockOpenInParser = false
          openFrom = termEnd
        }
        pos = termEnd
      }
      linesEnd = pos
    }
    if (linesEnd > openFrom && !isTooLarge) {
      // Complete lines of a block still open: the parser reports their comments and retries now.
      if (!isTailFed) feedLines(parser, text, openFrom, linesEnd)
      isBlockOpenInParser = true
    }
    isTailFed = false
    if (linesEnd < text.length) holdPartialLine(text.slice(linesEnd), byteAt(linesEnd))
    heldCharsInText = 0
  }

  /** Warns about an id line the parser will silently ignore. */
  const checkNulInId = (line: string): void => {
    // [spec] "If the field value does not contain U+0000 NULL, then set the last event ID buffer…"
    const isIdLine =
      line.charCodeAt(0) === LOWER_I && line.charCodeAt(1) === LOWER_D && line.charCodeAt(2) === COLON
    if (isIdLine && line.indexOf('\0') !== -1)
      warn('nul-in-id', 'an id field contains U+0000 NULL; the spec ignores the whole field')
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
      const seqBefore = seqs.next
      frameText(decoder.decode(bytes))
      recordsInLastChunk = seqs.next - seqBefore
    },
    end(pushContext, target) {
      context = pushContext
      out = target
      if (isTooLarge) return
      frameText(decoder.flush())
      leaveWholeChunks()
      // An unterminated last line: hand it to the parser so the probe below sees its data.
      if (partialLineLength > 0) {
        lineStartByte = partialLineStartByte
        lineStartChunkSeq = partialLineStartChunkSeq
        parser.feed(partialLine.join(''))
      }
      partialLine = []
      if (isTooLarge) return
      isProbing = true
      isQuiet = true
      parser.feed('\n\n')
      isProbing = false
      isQuiet = false
      if (discardedData !== undefined) {
        lineStartByte = blockStartByte // the whole unfinished block
        lineStartChunkSeq = blockStartChunkSeq
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

/**
 * text.lastIndexOf(pattern) at or after `from`, by forward searches over growing windows from the end:
 * V8's lastIndexOf walks back one character at a time, ~20× slower than its forward search.
 */
function lastIndexFrom(text: string, pattern: string, from: number): number {
  for (let window = 256; ; window *= 4) {
    const start = Math.max(from, text.length - window)
    let found = text.indexOf(pattern, start)
    if (found !== -1) {
      for (let next = found; next !== -1; next = text.indexOf(pattern, next + 1)) found = next
      return found
    }
    if (start === from) return -1
  }
}

/**
 * Whether eventsource-parser keeps the unfinished line text[start…] (no LF in it) for the next feed; it
 * drops one that cannot become a comment or a data, event, id or retry field.
 */
function isHeldByParser(text: string, start: number): boolean {
  const first = text.charCodeAt(start)
  return (
    first === COLON ||
    (first === LOWER_D && isFieldPrefix(text, start, 'data')) ||
    (first === LOWER_E && isFieldPrefix(text, start, 'event')) ||
    (first === LOWER_I && isFieldPrefix(text, start, 'id')) ||
    (first === LOWER_R && isFieldPrefix(text, start, 'retry'))
  )
}

/** As eventsource-parser's isPotentialField: text[start…] is a prefix of `field`, or `field` and a colon. */
function isFieldPrefix(text: string, start: number, field: string): boolean {
  const length = text.length - start
  for (let i = 1; i < length && i < field.length; i++) {
    if (text.charCodeAt(start + i) !== field.charCodeAt(i)) return false
  }
  return length <= field.length || text.charCodeAt(start + field.length) === COLON
}

/** Whether text[from, to) holds only LF-ended data, id (without NUL) and event lines, and blank lines. */
function isQuietLines(text: string, from: number, to: number): boolean {
  for (let lineStart = from; lineStart < to;) {
    const lf = text.indexOf('\n', lineStart)
    if (lf === -1) return false
    const nameEnd = text.startsWith('data', lineStart)
      ? lineStart + 4
      : text.startsWith('event', lineStart)
        ? lineStart + 5
        : text.startsWith('id', lineStart)
          ? lineStart + 2
          : lineStart
    const after = text.charCodeAt(nameEnd)
    if (lf !== lineStart && (nameEnd === lineStart || (after !== COLON && after !== LF))) return false
    if (nameEnd === lineStart + 2) {
      const nul = text.indexOf('\0', lineStart)
      if (nul !== -1 && nul < lf) return false
    }
    lineStart = lf + 1
  }
  return true
}

/**
 * Where the block of an event starting at `blockStart` ends, found from the event's fields, or -1.
 *
 * Valid only while blocks and events match one to one (the caller checks the rest, see feedBlocksAtOnce).
 * What shows at a block's start: an empty block (it starts with LF) and one holding only event types
 * (it starts with "e": such a block must start with this event's own type line, followed by a line that
 * is neither blank nor another event line). Then the block holds all of the event's fields, so it is
 * at least as long as they allow and usually exactly as long as their canonical form (`event: T`,
 * `id: I`, `data: D` lines): the few positions in between are checked for the blank line, and a longer
 * block (other spacing, several data lines) is found by one search from there.
 */
function blockEndByLength(
  text: string,
  blockStart: number,
  type: string | undefined,
  id: string | undefined,
  data: string,
): number {
  if (!opensOwnBlock(text, blockStart, type)) return -1
  const canonical = canonicalBlockEnd(text, blockStart, type, id, data)
  if (canonical !== -1) return canonical
  // Data lines take at least "data:" + value + LF each (4 per extra line, for the LF in data), plus
  // the blank line; the canonical single line is "data: D" + LF + LF.
  let minEnd = blockStart + data.length + 6
  let canonicalEnd = minEnd + 2
  if (type !== undefined) {
    minEnd += type.length + 7 // "event:T" + LF
    canonicalEnd += type.length + 8 // "event: T" + LF
  }
  if (id !== undefined) {
    minEnd += id.length === 0 ? 3 : id.length + 4 // "id" / "id:I" + LF
    canonicalEnd += id.length + 5 // "id: I" + LF
  }
  for (let end = minEnd; end <= canonicalEnd; end++) {
    if (text.charCodeAt(end - 1) === LF && text.charCodeAt(end - 2) === LF) return end
  }
  const blank = text.indexOf('\n\n', canonicalEnd - 1)
  return blank === -1 ? -1 : blank + 2
}

/** Whether the block at `blockStart` can be this event's: not empty, and not an event type of another's. */
function opensOwnBlock(text: string, blockStart: number, type: string | undefined): boolean {
  const first = text.charCodeAt(blockStart)
  return first !== LF && (first !== LOWER_E || startsWithOwnTypeLine(text, blockStart, type))
}

/**
 * Where the block at `blockStart` ends if it is the event's fields in canonical form (`event: T`,
 * `id: I`, `data: D` lines), else -1. The block cannot end sooner when the character before its blank
 * line is not LF, but for a block of one or two characters after a sooner end ("id", a comment, an
 * unknown field), which the callers' checks catch. With an empty id that window is too wide: -1.
 */
function canonicalBlockEnd(
  text: string,
  blockStart: number,
  type: string | undefined,
  id: string | undefined,
  data: string,
): number {
  let end = blockStart + data.length + 8 // "data: D" + LF + LF
  if (type !== undefined) end += type.length + 8 // "event: T" + LF
  if (id !== undefined) end += id.length + 5 // "id: I" + LF
  const isCanonical =
    text.charCodeAt(end - 1) === LF &&
    text.charCodeAt(end - 2) === LF &&
    text.charCodeAt(end - 3) !== LF &&
    id !== ''
  return isCanonical ? end : -1
}

/** Whether the block at `blockStart` opens with `event: type` and then a line that is not blank or an event type. */
function startsWithOwnTypeLine(text: string, blockStart: number, type: string | undefined): boolean {
  if (type === undefined || !text.startsWith('event:', blockStart)) return false
  const value = blockStart + (text.charCodeAt(blockStart + 6) === SPACE ? 7 : 6)
  const next = value + type.length + 1
  if (text.charCodeAt(next - 1) !== LF || !text.startsWith(type, value)) return false
  const nextFirst = text.charCodeAt(next)
  return nextFirst !== LF && nextFirst !== LOWER_E
}

/** Where the block starting at `start` ends: after its blank line (or `text.length` if it has none). */
function blockEndAt(text: string, start: number): number {
  if (text.charCodeAt(start) === LF) return start + 1
  const blank = text.indexOf('\n\n', start)
  return blank === -1 ? text.length : blank + 2
}

function preview(text: string): string {
  return JSON.stringify(text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text)
}
