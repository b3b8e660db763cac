import { expect, test } from 'vitest'
import { formatDuration } from '../../../renderer/src/format.ts'

test('durations read in the unit that fits: ms, s, min, h, days', () => {
  expect(formatDuration(850)).toBe('850 ms')
  expect(formatDuration(12_345)).toBe('12.3 s')
  expect(formatDuration(245_900)).toBe('4 min 5 s')
  expect(formatDuration(12_000_000)).toBe('3 h 20 min') // a day-long recording said "1440 min 0 s"
  expect(formatDuration(9_999_999_999)).toBe('115 d 17 h') // a server's retry: 9999999999
})
