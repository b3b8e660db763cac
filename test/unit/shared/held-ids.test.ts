import { expect, test } from 'vitest'
import { HeldIds } from '../../../shared/stats/held-ids.ts'

test('held ids: duplicates of a sliding window equal what counting its ids says, whatever the ids', () => {
  let seed = 5
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  // Upward numbers with replays (a resume), repeats, restarts from 1, "07" beside "7", names, huge numbers.
  const ids: string[] = []
  for (let i = 0, next = 1; i < 6000; i++) {
    const roll = random()
    if (roll < 0.7) ids.push(String(next++))
    else if (roll < 0.8) ids.push(String(Math.max(0, next - 1 - Math.floor(random() * 30))))
    else if (roll < 0.83) ids.push(`0${Math.floor(random() * next)}`)
    else if (roll < 0.88) ids.push(`name-${Math.floor(random() * 20)}`)
    else if (roll < 0.9)
      ids.push('99999999999999999999') // past a double's exact integers
    else if (roll < 0.92)
      next = 1 + Math.floor(random() * 5) // the server started again
    else ids.push(String(next + Math.floor(random() * 3)))
  }
  const held = new HeldIds()
  let [first, next] = [0, 0]
  const duplicatesOf = (window: string[]) => window.length - new Set(window).size
  while (next < ids.length) {
    const until = Math.min(ids.length, next + 1 + Math.floor(random() * 60))
    for (; next < until; next++) held.add(ids[next]!)
    const dropTo = Math.min(next, first + Math.floor(random() * 64))
    for (; first < dropTo; first++) held.drop(ids[first]!)
    expect(held.duplicates).toBe(duplicatesOf(ids.slice(first, next)))
  }
  for (; first < next; first++) held.drop(ids[first]!)
  expect(held.duplicates).toBe(0)
})

test('held ids: an id again after upward ones is a duplicate, and stops being one when either goes', () => {
  const held = new HeldIds()
  for (const id of ['1', '2', '3', '2', '2']) held.add(id)
  expect(held.duplicates).toBe(2)
  held.drop('1')
  held.drop('2') // the upward one
  expect(held.duplicates).toBe(1)
  held.drop('3')
  held.drop('2')
  expect(held.duplicates).toBe(0)
  held.add('2') // the last "2" is still held
  expect(held.duplicates).toBe(1)
})
