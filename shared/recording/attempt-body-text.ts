import { concatBytes } from '../concat-bytes.ts'

// One connection attempt's response body, made fit to be followed by the next attempt's in one SSE text.
// A reconnect starts a fresh parse: an event cut off by the dropped connection is discarded, never merged
// with what the next response sends. Plain concatenation would merge them, so the cut block goes.

const LF = 10
const CR = 13
const COLON = 58
const BOM = [0xef, 0xbb, 0xbf] as const

const isBreak = (byte: number | undefined): boolean => byte === LF || byte === CR

/** Line terminators (CRLF, LF or CR) in the run of CR and LF bytes body[from, to). */
function terminatorsIn(body: Uint8Array, from: number, to: number): number {
  let count = 0
  for (let i = from; i < to; i++) {
    if (body[i] === CR && body[i + 1] === LF && i + 1 < to) i++
    count++
  }
  return count
}

const startsWithBom = (body: Uint8Array): boolean => BOM.every((byte, i) => body[i] === byte)

/**
 * Where the block still open at the body's end starts: just after its last blank line (the spec
 * dispatches there), or the body's start (after a BOM) if it has none. Found from the end, so a
 * body that ends its blocks costs O(1).
 */
export function openBlockStart(body: Uint8Array): number {
  return lastBlankLineEnd(body, true, true)!
}

/**
 * openBlockStart of `bytes`: all of what is held of the body (`isWhole`; it starts where a line does:
 * the body's start, `isBodyStart`, or a block's), or only its end: then undefined where that cannot tell
 * (no blank line in it, or a run of line breaks at its start that may go on before it).
 */
function lastBlankLineEnd(bytes: Uint8Array, isWhole: boolean, isBodyStart: boolean): number | undefined {
  const lineStart = isBodyStart && startsWithBom(bytes) ? BOM.length : 0
  for (let end = bytes.length; end > lineStart;) {
    if (!isBreak(bytes[end - 1])) {
      end--
      continue
    }
    let start = end - 1
    while (start > lineStart && isBreak(bytes[start - 1])) start--
    if (start === 0 && !isWhole) return undefined
    // Two terminators in a row make a blank line; so does one that ends an empty first line.
    if (terminatorsIn(bytes, start, end) >= (start === lineStart ? 1 : 2)) return end
    end = start
  }
  return isWhole ? lineStart : undefined
}

/** A line of the cut block whose effect the spec keeps: a comment, `retry` or another field, not data/event/id. */
function outlivesTheCut(line: Uint8Array): boolean {
  if (line[0] === COLON) return true
  const colon = line.indexOf(COLON)
  const field = new TextDecoder().decode(colon === -1 ? line : line.subarray(0, colon))
  return field !== 'data' && field !== 'event' && field !== 'id'
}

/** The complete lines of a cut block that outlive it, each ended with LF (an unfinished last line never counts). */
function linesOutlivingTheCut(block: Uint8Array): Uint8Array[] {
  const kept: Uint8Array[] = []
  for (let start = 0; start < block.length;) {
    let end = start
    while (end < block.length && !isBreak(block[end])) end++
    if (end === block.length) break
    const line = block.subarray(start, end)
    if (outlivesTheCut(line)) kept.push(line, Uint8Array.of(LF))
    start = end + (block[end] === CR && block[end + 1] === LF ? 2 : 1)
  }
  return kept
}

const lengthOf = (chunks: readonly Uint8Array[]): number => chunks.reduce((n, chunk) => n + chunk.length, 0)

/** The chunks split at byte `at` of their whole: those before it and those after, views, no copies. */
function splitAt(chunks: readonly Uint8Array[], at: number): [Uint8Array[], Uint8Array[]] {
  let offset = 0
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i]!
    if (at < offset + chunk.length) {
      const within = at - offset
      const before = chunks.slice(0, i)
      if (within > 0) before.push(chunk.subarray(0, within))
      return [before, [chunk.subarray(within), ...chunks.slice(i + 1)]]
    }
    offset += chunk.length
  }
  return [[...chunks], []]
}

/** The body without a leading BOM (which may come split over its first chunks). */
function withoutBom(chunks: Uint8Array[]): Uint8Array[] {
  return startsWithBom(concatBytes(chunks.slice(0, BOM.length))) ? splitAt(chunks, BOM.length)[1] : chunks
}

/**
 * Where the block open at the end of the body (its chunks, `length` bytes) starts: its end is searched
 * first, in doubling spans, so a body of gigabytes is not copied whole to find a cut near its end.
 */
function openBlockStartIn(chunks: readonly Uint8Array[], length: number, isBodyStart: boolean): number {
  for (let span = 64 * 1024; ; span *= 2) {
    if (span >= length) return lastBlankLineEnd(concatBytes(chunks), true, isBodyStart)!
    const tailStart = length - span
    const tail = concatBytes(splitAt(chunks, tailStart)[1])
    const end = lastBlankLineEnd(tail, false, false)
    if (end !== undefined) return tailStart + end
  }
}

/** What an attempt's body holds at most before what precedes its open block goes (the block may be longer). */
const RELEASE_BYTES = 1024 * 1024

const CUT_NOTE = new TextEncoder().encode(
  ': sse-inspector: the connection ended here, inside a block that never dispatched; its data, event and id lines are left out (a reconnect discards them)\n',
)

/**
 * One attempt's body (its chunks as received) made fit to be followed by another attempt's: without a
 * leading BOM unless it opens the text (the parser strips only the first), and, if another body follows,
 * with a block cut off by the connection's end replaced by its lines that still count (comments, retry)
 * and a comment saying what was left out. The chunks themselves are the parts (no copy); what precedes
 * the open block goes as soon as `releaseBytes` are held, so a body of gigabytes is never held whole.
 */
export class AttemptBodyText {
  private held: Uint8Array[] = []
  private heldBytes = 0
  /** Past the body's first bytes: its BOM is dealt with. */
  private isStarted = false
  /** `held` starts where the body does (else where a block does). */
  private isAtBodyStart = true
  private readonly isFirst: boolean
  private readonly releaseBytes: number

  constructor(isFirst: boolean, releaseBytes = RELEASE_BYTES) {
    this.isFirst = isFirst
    this.releaseBytes = Math.max(releaseBytes, BOM.length)
  }

  /** Takes a chunk; returns the parts that can go now (none unless `mayRelease`). */
  push(chunk: Uint8Array, mayRelease: boolean): Uint8Array[] {
    // Empty chunks out: a BOM split over the first three bytes is then in the first three chunks.
    if (chunk.length === 0) return []
    this.held.push(chunk)
    this.heldBytes += chunk.length
    if (!mayRelease || this.heldBytes < this.releaseBytes) return []
    this.start()
    const cut = openBlockStartIn(this.held, this.heldBytes, this.isAtBodyStart)
    if (cut === 0) return []
    const [released, open] = splitAt(this.held, cut)
    this.held = open
    this.heldBytes -= cut
    this.isAtBodyStart = false
    return released
  }

  /** The rest of the body, once it is known whether another attempt's body follows it (`isLast`: none). */
  end(isLast: boolean): Uint8Array[] {
    this.start()
    if (isLast) return this.held
    const cut = openBlockStartIn(this.held, this.heldBytes, this.isAtBodyStart)
    if (cut === this.heldBytes) return this.held
    const [kept, open] = splitAt(this.held, cut)
    return [...kept, ...linesOutlivingTheCut(concatBytes(open)), CUT_NOTE]
  }

  private start(): void {
    if (this.isStarted) return
    this.isStarted = true
    if (this.isFirst) return
    this.held = withoutBom(this.held)
    this.heldBytes = lengthOf(this.held)
  }
}

/** A whole attempt's body as AttemptBodyText makes it. */
export function attemptBodyParts(
  body: readonly Uint8Array[],
  isFirst: boolean,
  isLast: boolean,
): Uint8Array[] {
  const text = new AttemptBodyText(isFirst)
  for (const chunk of body) text.push(chunk, false)
  return text.end(isLast)
}
