/** Numbers added at one end and taken from the other, held in one typed array (no object per number). */
export class NumberRing {
  private buffer = new Float64Array(1024)
  private start = 0
  private end = 0

  get length(): number {
    return this.end - this.start
  }

  /** The i-th number held, oldest first. */
  at(index: number): number {
    return this.buffer[this.start + index]!
  }

  push(value: number): void {
    if (this.end === this.buffer.length) {
      // Mostly taken from the front (a sliding window): move what is held down instead of growing.
      if (this.length * 2 > this.buffer.length) {
        const grown = new Float64Array(this.buffer.length * 2)
        grown.set(this.buffer.subarray(this.start, this.end))
        this.buffer = grown
      } else this.buffer.copyWithin(0, this.start, this.end)
      this.end -= this.start
      this.start = 0
    }
    this.buffer[this.end++] = value
  }

  /** Takes the oldest number out. */
  shift(): number | undefined {
    if (this.end === this.start) return undefined
    const value = this.buffer[this.start++]!
    if (this.start === this.end) this.start = this.end = 0
    return value
  }

  /** The numbers held, oldest first (a copy). */
  toArray(): Float64Array {
    return this.buffer.slice(this.start, this.end)
  }
}
