import { expect, test } from 'vitest'
import { NumberRing } from '../../../shared/stats/number-ring.ts'
import { SlidingMax } from '../../../shared/stats/sliding-max.ts'

test('a sliding max and a number ring agree with an array of the window at every step, across regrowth', () => {
  let seed = 3
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  const [max, ring, window] = [new SlidingMax(), new NumberRing(), [] as number[]]
  let longest = 0
  for (let step = 0; step < 20_000; step++) {
    // Bursts of growth and of shrinking, so the window is sometimes empty and sometimes thousands long.
    const isGrowing = Math.floor(step / 5000) % 2 === 0 ? random() < 0.8 : random() < 0.2
    if (isGrowing) {
      const value = Math.floor(random() * 1000)
      max.push(value)
      ring.push(value)
      window.push(value)
    } else {
      max.dropOldest()
      expect(ring.shift()).toBe(window.shift())
    }
    expect(max.max).toBe(window.reduce((m, v) => Math.max(m, v), 0))
    expect(ring.length).toBe(window.length)
    longest = Math.max(longest, window.length)
    if (window.length > 0) expect(ring.at(window.length - 1)).toBe(window.at(-1))
    if (step % 997 === 0) expect([...ring.toArray()]).toEqual(window)
  }
  expect(longest).toBeGreaterThan(2048) // past the ring's first two sizes
})
