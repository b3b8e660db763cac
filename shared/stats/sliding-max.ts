/**
 * The largest number of a run of numbers that grows at one end and shrinks at the other, in amortized O(1) a
 * step: only the numbers no later one is at least as large as are kept (a monotonic queue).
 */
export class SlidingMax {
  private readonly values: number[] = []
  /** Each kept value's place in the sequence of all values pushed. */
  private readonly places: number[] = []
  private head = 0
  private pushed = 0
  private dropped = 0

  /** Adds the newest value. */
  push(value: number): void {
    while (this.values.length > this.head && this.values.at(-1)! <= value) {
      this.values.pop()
      this.places.pop()
    }
    this.values.push(value)
    this.places.push(this.pushed++)
  }

  /** Takes the oldest value out. */
  dropOldest(): void {
    if (this.dropped === this.pushed) return
    if (this.places[this.head] === this.dropped) this.head++
    this.dropped++
    if (this.head > 1024 && this.head * 2 > this.values.length) {
      this.values.splice(0, this.head)
      this.places.splice(0, this.head)
      this.head = 0
    }
  }

  /** The largest value held, 0 when none is. */
  get max(): number {
    return this.head < this.values.length ? this.values[this.head]! : 0
  }
}
