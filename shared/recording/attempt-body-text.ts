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
  const lineStart = startsWithBom(body) ? BOM.length : 0
  for (let end = body.length; end > lineStart;) {
    if (!isBreak(body[end - 1])) {
      end--
      continue
    }
    let start = end - 1
    while (start > lineStart && isBreak(body[start - 1])) start--
    // Two terminators in a row make a blank line; so does one that ends an empty first line.
    if (terminatorsIn(body, start, end) >= (start === lineStart ? 1 : 2)) return end
    end = start
  }
  return lineStart
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

/**
 * The parts of one attempt's body to write before another attempt's: without a leading BOM unless it
 * opens the text (the parser strips only the first), and with a block cut off by the connection's end
 * replaced by its lines that still count (comments, retry) and a comment saying what was left out.
 */
export function attemptBodyParts(body: Uint8Array, isFirst: boolean, isLast: boolean): Uint8Array[] {
  const text = !isFirst && startsWithBom(body) ? body.subarray(BOM.length) : body
  if (isLast) return [text]
  const cut = openBlockStart(text)
  if (cut === text.length) return [text]
  const note =
    ': sse-inspector: the connection ended here, inside a block that never dispatched; its data, event and id lines are left out (a reconnect discards them)\n'
  return [text.subarray(0, cut), ...linesOutlivingTheCut(text.subarray(cut)), new TextEncoder().encode(note)]
}
