/**
 * Decodes a byte stream chunk by chunk as UTF-8, holding back an incomplete trailing sequence, and maps
 * positions in the decoded text back to byte offsets (for event byte ranges).
 */
export type DecodedChunk = {
  text: string
  /** Stream byte offset of text[0]. */
  baseByte: number
  /** Stream byte offset just past the last byte that text covers. */
  endByte: number
  /** Byte offset (in the stream) just after the character at text[charIndex - 1]. */
  byteAt: (charIndex: number) => number
  /** One byte per character (ASCII, mostly): byteAt(i) is baseByte + i. */
  isAligned: boolean
}

const LF = 10
const CR = 13

/** Expected sequence length for a UTF-8 lead byte; 0 for a continuation or invalid byte. */
function sequenceLength(byte: number): number {
  if (byte < 0x80) return 1
  if (byte >= 0xc2 && byte <= 0xdf) return 2
  if (byte >= 0xe0 && byte <= 0xef) return 3
  if (byte >= 0xf0 && byte <= 0xf4) return 4
  return 0
}

/** Number of bytes at the end of `bytes` that start a multi-byte sequence the chunk does not complete. */
function incompleteTailLength(bytes: Uint8Array): number {
  const n = bytes.length
  for (let back = 1; back <= 3 && back <= n; back++) {
    const byte = bytes[n - back]!
    if (byte < 0x80) return 0
    if ((byte & 0xc0) === 0x80) continue // continuation byte: keep looking for the lead
    const expected = sequenceLength(byte)
    return expected > back ? back : 0
  }
  return 0
}

/** Positions of CR and LF characters; the same list for the text and for the bytes it came from. */
function terminatorPositions(source: { length: number }, codeAt: (i: number) => number): number[] {
  const positions: number[] = []
  for (let i = 0; i < source.length; i++) {
    const c = codeAt(i)
    if (c === LF || c === CR) positions.push(i)
  }
  return positions
}

export class Utf8ChunkDecoder {
  // ignoreBOM: keep a leading BOM in the text; the framing layer strips exactly one and reports it.
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true })
  private held: Uint8Array | null = null
  private consumedBytes: number

  /** `startByte`: the stream offset of the first byte decoded (0 unless decoding starts mid-stream). */
  constructor(startByte = 0) {
    this.consumedBytes = startByte
  }

  /** Decodes the next chunk; bytes of a sequence split across chunks are carried to the next call. */
  decode(bytes: Uint8Array): DecodedChunk {
    const baseByte = this.consumedBytes - (this.held?.length ?? 0)
    this.consumedBytes += bytes.length
    let input = bytes
    if (this.held) {
      input = new Uint8Array(this.held.length + bytes.length)
      input.set(this.held)
      input.set(bytes, this.held.length)
      this.held = null
    }
    const tail = incompleteTailLength(input)
    if (tail > 0) {
      this.held = input.slice(input.length - tail)
      input = input.subarray(0, input.length - tail)
    }
    return this.toDecoded(input, baseByte)
  }

  /** Decodes whatever is still held at end of stream (an incomplete sequence becomes U+FFFD). */
  flush(): DecodedChunk {
    const held = this.held ?? new Uint8Array(0)
    this.held = null
    return this.toDecoded(held, this.consumedBytes - held.length)
  }

  private toDecoded(input: Uint8Array, baseByte: number): DecodedChunk {
    const text = input.length === 0 ? '' : this.decoder.decode(input)
    const endByte = baseByte + input.length
    // No byte sequence decodes to more UTF-16 units than it has bytes, so equal lengths mean one unit per byte.
    if (text.length === input.length) {
      return { text, baseByte, endByte, byteAt: alignedByteAt, isAligned: true }
    }
    let charTerms: number[] | undefined
    let byteTerms: number[] | undefined
    const byteAt = (charIndex: number): number => {
      if (charIndex >= text.length) return endByte
      if (charIndex <= 0) return baseByte
      // Boundaries sit just after a CR or LF; those are ASCII, so the k-th in the text is the k-th in the bytes.
      charTerms ??= terminatorPositions(text, (i) => text.charCodeAt(i))
      byteTerms ??= terminatorPositions(input, (i) => input[i]!)
      const k = lowerBound(charTerms, charIndex - 1)
      const bytePos = charTerms[k] === charIndex - 1 ? byteTerms[k] : undefined
      if (bytePos !== undefined) return baseByte + bytePos + 1
      return baseByte + Math.round((charIndex / text.length) * input.length)
    }
    return { text, baseByte, endByte, byteAt, isAligned: false }
  }
}

/** byteAt of a chunk of one byte per character: shared, so decoding a chunk allocates no closure. */
function alignedByteAt(this: DecodedChunk, charIndex: number): number {
  return this.baseByte + charIndex
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid]! < value) lo = mid + 1
    else hi = mid
  }
  return lo
}
