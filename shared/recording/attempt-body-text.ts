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
  return lastBlankLineEnd(body, true)!
}

/**
 * openBlockStart of `bytes`, the whole body (`isWhole`) or only its end: then undefined where that
 * cannot tell (no blank line in it, or a run of line breaks at its start that may go on before it).
 */
function lastBlankLineEnd(bytes: Uint8Array, isWhole: boolean): number | undefined {
  const lineStart = isWhole && startsWithBom(bytes) ? BOM.length : 0
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
function openBlockStartIn(chunks: readonly Uint8Array[], length: number): number {
  for (let span = 64 * 1024; ; span *= 2) {
    if (span >= length) return openBlockStart(concatBytes(chunks))
    const tailStart = length - span
    const tail = concatBytes(splitAt(chunks, tailStart)[1])
    const end = lastBlankLineEnd(tail, false)
    if (end !== undefined) return tailStart + end
  }
}

/**
 * The parts of one attempt's body (its chunks as received) to write before another attempt's: without
 * a leading BOM unless it opens the text (the parser strips only the first), and with a block cut off
 * by the connection's end replaced by its lines that still count (comments, retry) and a comment saying
 * what was left out. The chunks themselves are the parts (no copy of a body of any size).
 */
export function attemptBodyParts(
  body: readonly Uint8Array[],
  isFirst: boolean,
  isLast: boolean,
): Uint8Array[] {
  // Empty chunks out first: a BOM split over the first three bytes is then in the first three chunks.
  const nonEmpty = body.filter((chunk) => chunk.length > 0)
  const chunks = isFirst ? nonEmpty : withoutBom(nonEmpty)
  if (isLast) return chunks
  const length = lengthOf(chunks)
  const cut = openBlockStartIn(chunks, length)
  if (cut === length) return chunks
  const [kept, open] = splitAt(chunks, cut)
  const note =
    ': sse-inspector: the connection ended here, inside a block that never dispatched; its data, event and id lines are left out (a reconnect discards them)\n'
  return [...kept, ...linesOutlivingTheCut(concatBytes(open)), new TextEncoder().encode(note)]
}
