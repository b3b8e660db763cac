import { expect, test } from 'vitest'
import { formatDuration, formatInterval } from '../../../renderer/src/format.ts'

test('durations read in the unit that fits: ms, s, min, h, days', () => {
  expect(formatDuration(850)).toBe('850 ms')
  expect(formatDuration(12_345)).toBe('12.3 s')
  expect(formatDuration(245_900)).toBe('4 min 5 s')
  expect(formatDuration(12_000_000)).toBe('3 h 20 min') // a day-long recording said "1440 min 0 s"
  expect(formatDuration(9_999_999_999)).toBe('115 d 17 h') // a server's retry: 9999999999
})

test('measured intervals keep a decimal below 100 ms, so a max never reads below its p95', () => {
  // Seen: "p95 31.3 ms · max 31 ms" (the max rounded to whole ms, the p95 not).
  expect(formatInterval(31.4)).toBe('31.4 ms')
  expect(formatInterval(0.42)).toBe('0.4 ms')
  expect(formatInterval(850.4)).toBe('850 ms')
  expect(formatInterval(61_000)).toBe('1 min 1 s')
  const millis = (text: string) => {
    const [value, unit] = text.split(' ')
    return Number(value) * (unit === 's' ? 1000 : 1)
  }
  for (let ms = 0; ms < 20_000; ms += 0.37) {
    expect(millis(formatInterval(ms + 0.37))).toBeGreaterThanOrEqual(millis(formatInterval(ms)))
  }
})
