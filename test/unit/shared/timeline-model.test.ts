import { expect, test } from 'vitest'
import {
  axisTicks,
  bucketize,
  fit,
  follow,
  msAt,
  nearestIndex,
  pan,
  silences,
  xOf,
  zoom,
} from '../../../shared/timeline/timeline-model.ts'

test('timeline: x and time convert both ways', () => {
  const view = { startMs: 1000, endMs: 2000 }
  expect(xOf(1500, view, 800)).toBe(400)
  expect(msAt(400, view, 800)).toBe(1500)
})

test('timeline: zoom keeps the anchor in place; pan, fit and follow move the window', () => {
  const view = { startMs: 0, endMs: 1000 }
  const zoomed = zoom(view, 2, 250)
  expect(zoomed).toEqual({ startMs: 125, endMs: 625 })
  expect(xOf(250, zoomed, 100)).toBeCloseTo(xOf(250, view, 100))
  expect(zoom(zoomed, 0.5, 250)).toEqual(view)
  expect(pan(view, 100)).toEqual({ startMs: 100, endMs: 1100 })
  expect(fit(0, 10_000)).toEqual({ startMs: -200, endMs: 10_200 })
  const followed = follow(view, 5000)
  expect(followed.endMs - followed.startMs).toBe(1000)
  expect(followed.endMs).toBeGreaterThan(5000)
})

test('timeline: buckets count (or sum) only what is visible', () => {
  const times = [0, 10, 20, 30, 500, 990, 2000]
  expect([...bucketize(times, times.length, { startMs: 0, endMs: 1000 }, 4)]).toEqual([4, 0, 1, 1])
  expect([
    ...bucketize(times, times.length, { startMs: 0, endMs: 1000 }, 2, [1, 1, 1, 1, 10, 10, 10]),
  ]).toEqual([4, 20])
})

test('timeline: nearest mark within a tolerance, silences and axis ticks', () => {
  const times = [0, 100, 5000, 5100]
  expect(nearestIndex(times, times.length, 90, 50)).toBe(1)
  expect(nearestIndex(times, times.length, 2500, 50)).toBeUndefined()
  expect(silences(times, times.length, 1000)).toEqual([[100, 5000]])
  const ticks = axisTicks({ startMs: 0, endMs: 10_000 }, 10)
  expect(ticks[0]).toEqual({ ms: 0, stepMs: 1000 })
  expect(ticks).toHaveLength(11)
})

test('timeline: a million points are bucketed from the visible slice only', () => {
  const times = Float64Array.from({ length: 1_000_000 }, (_, i) => i)
  const counts = bucketize(times, times.length, { startMs: 500_000, endMs: 500_100 }, 10)
  expect([...counts]).toEqual(Array(10).fill(10))
})
