import { expect, test } from 'vitest'
import {
  diffEvents,
  EventDiffer,
  previewOfDiff,
  type ComparedEvent,
} from '../../../shared/recording/diff-recordings.ts'

const ev = (data: string, id?: string, atMs = 0, type = 'message'): ComparedEvent => ({
  type,
  data,
  id,
  atMs,
})

test('diff by id: missing, extra and changed; an id B repeats is matched (its last) and extra for neither', () => {
  const a = [ev('one', '1', 0), ev('two', '2', 10), ev('three', '3', 20), ev('{"n":4,"t":1}', '4', 30)]
  const b = [
    ev('one', '1', 5),
    ev('THREE', '3', 30),
    ev('three', '3', 31),
    ev('{"t":2,"n":4}', '4', 35),
    ev('five', '5'),
  ]
  const diff = diffEvents(a, b, ['t'])
  expect(diff.matchedBy).toBe('id')
  expect(diff.missing).toEqual([{ id: '2', data: 'two' }])
  expect(diff.extra).toEqual([{ id: '5', data: 'five' }])
  expect(diff.changed).toEqual([]) // "3" is matched with B's last "3"; "4" differs in an ignored field only
  expect(diff.sameButIgnored).toBe(1)
  expect(diff.arrivalDeltaMs).toMatchObject({ count: 3, max: 6 }) // each from its first event: 31-5 vs 20-0
})

test('diff by position when an event has no id: extra are B past A’s length', () => {
  const diff = diffEvents([ev('a', '1'), ev('b')], [ev('a'), ev('B'), ev('c'), ev('d')])
  expect(diff.matchedBy).toBe('position')
  expect(diff.changed.map((c) => c.key)).toEqual(['1'])
  expect(diff.extra.map((e) => e.data)).toEqual(['c', 'd'])
  expect(diff.missing).toEqual([])
})

test('a differ keeping the first entries of each list counts them all; the preview says the totals', () => {
  const b = Array.from({ length: 500 }, (_, i) => ev(`b${i}`, `b${i}`))
  const differ = new EventDiffer(b, { isById: true, listLimit: 3 })
  for (let i = 0; i < 200; i++) differ.compare(ev(`a${i}`, `a${i}`))
  const diff = differ.result()
  expect(differ.totals).toEqual({ missing: 200, extra: 500, changed: 0 })
  expect(diff.missing.map((e) => e.id)).toEqual(['a0', 'a1', 'a2'])
  expect(diff.extra.map((e) => e.id)).toEqual(['b0', 'b1', 'b2'])
  expect(previewOfDiff(diff, 2, differ.totals)).toMatchObject({
    totals: { missing: 200, extra: 500, changed: 0 },
    missing: [{ id: 'a0' }, { id: 'a1' }],
  })
  // As a whole comparison finds them.
  const whole = diffEvents(
    Array.from({ length: 200 }, (_, i) => ev(`a${i}`, `a${i}`)),
    b,
  )
  expect([whole.missing.length, whole.extra.length]).toEqual([200, 500])
  expect(whole.missing.slice(0, 3)).toEqual(diff.missing)
})
