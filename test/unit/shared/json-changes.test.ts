import { expect, test } from 'vitest'
import { diffEvents } from '../../../shared/recording/diff-recordings.ts'
import { jsonChanges } from '../../../shared/recording/json-changes.ts'
import { eventRecord } from '../../support/records.ts'

test('JSON changes: named by dot path; key order and spacing do not count; text is not JSON', () => {
  const a = '{"id":"x1","choices":[{"index":0,"delta":{"content":"Hi"}}],"created":1}'
  const b = '{"created":2, "choices":[{"index":0,"delta":{"content":"Hey"}}],"id":"x2"}'
  expect(jsonChanges(a, b)).toEqual([
    { path: 'id', a: '"x1"', b: '"x2"' },
    { path: 'choices.0.delta.content', a: '"Hi"', b: '"Hey"' },
    { path: 'created', a: '1', b: '2' },
  ])
  // A key name is ignored at any depth; a dot path only there.
  expect(jsonChanges(a, b, ['id', 'created'])).toEqual([
    { path: 'choices.0.delta.content', a: '"Hi"', b: '"Hey"' },
  ])
  expect(jsonChanges(a, b, ['choices.0.delta.content', 'created'])).toEqual([
    { path: 'id', a: '"x1"', b: '"x2"' },
  ])
  expect(jsonChanges('{"a":1}', '{ "a" : 1 }')).toEqual([])
  expect(jsonChanges('{"a":1}', '{"a":1,"b":null}')).toEqual([{ path: 'b', a: '(absent)', b: 'null' }])
  expect(jsonChanges('[1,2]', '{"0":1}')).toEqual([{ path: '(whole value)', a: '[1,2]', b: '{"0":1}' }])
  expect(jsonChanges('[DONE]', '[DONE]')).toBeUndefined()
  expect(jsonChanges('42', '43')).toBeUndefined()
})

test('diff: events that differ only in ignored fields are the same, and counted as such', () => {
  const a = [eventRecord({ data: '{"t":1,"v":"a"}' }), eventRecord({ data: '{"t":2,"v":"b"}' })]
  const b = [eventRecord({ data: '{"t":5,"v":"a"}' }), eventRecord({ data: '{"t":6,"v":"c"}' })]
  const plain = diffEvents(a, b)
  expect(plain.changed.map((c) => c.fields?.map((f) => f.path))).toEqual([['t'], ['t', 'v']])
  const ignoringT = diffEvents(a, b, ['t'])
  expect(ignoringT.changed).toEqual([
    {
      key: '1',
      a: { type: 'message', data: '{"t":2,"v":"b"}' },
      b: { type: 'message', data: '{"t":6,"v":"c"}' },
      fields: [{ path: 'v', a: '"b"', b: '"c"' }],
    },
  ])
  expect(ignoringT.sameButIgnored).toBe(1)
})

test('diff: two recordings of 300k events compare (the arrival deltas once overflowed the stack)', () => {
  const count = 300_000
  const a = Array.from({ length: count }, (_, i) => eventRecord({ id: String(i), atMs: i * 2 }))
  // B's events arrive 1 ms later each, the last 5 ms sooner: against each one's first, the last is 6 ms off.
  const b = a.map((event, i) => ({ ...event, atMs: event.atMs + (i === count - 1 ? -5 : 1) }))
  const diff = diffEvents(a, b)
  expect(diff).toMatchObject({ matchedBy: 'id', missing: [], extra: [], changed: [] })
  expect(diff.arrivalDeltaMs).toEqual({ p50: 0, p95: 0, max: 6, count })
})

test('JSON changes: deep nesting is compared whole past 64 levels, and as text when too deep to write back', () => {
  const nested = (depth: number, value: string) => `${'['.repeat(depth)}${value}${']'.repeat(depth)}`
  const [change] = jsonChanges(nested(100, '1'), nested(100, '2'))!
  expect(change!.path.split('.')).toHaveLength(64) // "0.0.…": the first 64 levels, then the rest as one value
  expect(change!.a).toBe(nested(36, '1'))
  // 100 000 levels: JSON.parse reads them, nothing can walk or write them: the data differ as text.
  expect(jsonChanges(nested(100_000, '1'), nested(100_000, '2'))).toBeUndefined()
  const [a, b] = [1, 2].map((v) => eventRecord({ seq: v, id: '1', data: nested(100_000, String(v)) }))
  expect(diffEvents([a!], [b!]).changed).toHaveLength(1)
})
