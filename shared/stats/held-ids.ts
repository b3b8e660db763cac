import { NumberRing } from './number-ring.ts'

/** Decimal ids a double holds exactly, written one way only ("7", never "07"): as numbers, no string hashing. */
const PLAIN_NUMBER = /^(?:0|[1-9]\d{0,14})$/

/**
 * The event ids of a window of a stream (ids come in at the new end, go out at the old end) and how many
 * of them repeat one held before. Most streams number their events upwards: an id above every one held
 * is new without asking, so it goes to a sorted ring of numbers; others are counted by string in a map.
 * (A Set of a million id strings took most of the statistics' time and tens of MB.)
 */
export class HeldIds {
  /** Ids that were above every id held when they came: ascending, so found by halving. */
  private readonly ascending = new NumberRing()
  /** Every other id, by how many times it is held. */
  private readonly others = new Map<string, number>()
  /** At least the highest plain number among `others` (reset when they are gone). */
  private othersHighest = -1
  /** Occurrences held of an id held already. */
  duplicates = 0

  /** Adds the newest id. */
  add(id: string): void {
    let isHeld = false
    if (PLAIN_NUMBER.test(id)) {
      const n = Number(id)
      const top = this.ascending.length > 0 ? this.ascending.at(this.ascending.length - 1) : -1
      if (n > top && n > this.othersHighest) return this.ascending.push(n)
      this.othersHighest = Math.max(this.othersHighest, n)
      isHeld = this.isAscending(n)
    }
    const times = this.others.get(id) ?? 0
    if (isHeld || times > 0) this.duplicates++
    this.others.set(id, times + 1)
  }

  /** Takes out the oldest id held (ids leave in the order they came). */
  drop(id: string): void {
    // When the ring's oldest is this id, it is this occurrence: one held the other way, older, would
    // have kept it out of the ring (othersHighest). And an occurrence in the map has none in the ring:
    // that one came first, so went first.
    if (this.ascending.length > 0 && this.ascending.at(0) === Number(id) && PLAIN_NUMBER.test(id)) {
      this.ascending.shift()
      if (this.others.has(id)) this.duplicates--
      return
    }
    const times = this.others.get(id)
    if (times === undefined) return
    if (times > 1) this.duplicates--
    if (times > 1) this.others.set(id, times - 1)
    else this.others.delete(id)
    if (this.others.size === 0) this.othersHighest = -1
  }

  private isAscending(n: number): boolean {
    let [low, high] = [0, this.ascending.length]
    while (low < high) {
      const middle = (low + high) >>> 1
      if (this.ascending.at(middle) < n) low = middle + 1
      else high = middle
    }
    return low < this.ascending.length && this.ascending.at(low) === n
  }
}
