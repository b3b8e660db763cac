import { expect, test } from 'vitest'
import { measureCost } from '../../../renderer/src/measure-cost.ts'

test('cost measures of one name stay bounded however many are taken (a live timeline takes ~18 a second)', () => {
  for (let i = 0; i < 2500; i++) measureCost('test-draw', performance.now())
  const kept = performance.getEntriesByName('test-draw', 'measure').length
  expect(kept).toBeGreaterThan(0)
  expect(kept).toBeLessThanOrEqual(1000)
  measureCost('other-draw', performance.now()) // another name keeps its own
  expect(performance.getEntriesByName('other-draw', 'measure')).toHaveLength(1)
})
