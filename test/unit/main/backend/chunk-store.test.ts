import { expect, test } from 'vitest'
import { CHUNK_OVERHEAD_BYTES, ChunkStore } from '../../../../main/backend/chunk-store.ts'

const bytes = (size: number, fill = 1) => new Uint8Array(size).fill(fill)
/** What a chunk of `size` bytes counts against the budget. */
const cost = (size: number) => size + CHUNK_OVERHEAD_BYTES

test('chunk store: past its budget the oldest chunks go first, whichever connection they belong to', () => {
  const store = new ChunkStore(3 * cost(100))
  store.add('a', 1, 0, bytes(100))
  store.add('b', 1, 0, bytes(100))
  store.add('a', 2, 100, bytes(100))
  expect(store.sizeBytes).toBe(3 * cost(100))
  store.add('b', 2, 100, bytes(100)) // over: a#1 goes
  expect(store.get('a', 1)).toBeUndefined()
  expect([store.get('b', 1), store.get('a', 2), store.get('b', 2)].every(Boolean)).toBe(true)
  expect(store.sizeBytes).toBe(3 * cost(100))
  store.forget('b')
  expect(store.sizeBytes).toBe(cost(100))
  expect(store.range('b', 0, 10, Infinity)).toEqual([])
})

test('chunk store: a small view into a large buffer is kept as a copy of its own size', () => {
  const socketBuffer = new ArrayBuffer(64 * 1024)
  const view = new Uint8Array(socketBuffer, 100, 16).fill(7)
  const store = new ChunkStore()
  store.add('a', 1, 0, view)
  const kept = store.get('a', 1)!.bytes
  expect(kept.buffer.byteLength).toBe(16)
  expect([...kept]).toEqual(new Array(16).fill(7))
})

test('chunk store: chunks delivered again (a replay seeking back) are not dropped by their old entries', () => {
  const store = new ChunkStore(2.5 * cost(100))
  store.add('r', 1, 0, bytes(100, 1))
  store.add('r', 2, 100, bytes(100, 2))
  store.forget('r')
  store.add('r', 1, 0, bytes(100, 3))
  store.add('r', 2, 100, bytes(100, 4)) // the first, forgotten entries come up first: nothing of now goes
  expect(store.get('r', 1)?.bytes[0]).toBe(3)
  expect(store.get('r', 2)?.bytes[0]).toBe(4)
  store.add('r', 3, 200, bytes(100, 5)) // over budget: the oldest live chunk, r#1, goes
  expect(store.get('r', 1)).toBeUndefined()
  expect(store.sizeBytes).toBe(2 * cost(100))
})

test('chunk store: a byte-at-a-time stream counts the overhead of each chunk, so it cannot hold millions', () => {
  const store = new ChunkStore(10 * cost(1))
  for (let seq = 0; seq < 1000; seq++) store.add('trickle', seq, seq, bytes(1))
  expect(store.range('trickle', 0, 1000, Infinity).map((c) => c.seq)).toEqual([
    990, 991, 992, 993, 994, 995, 996, 997, 998, 999,
  ])
})

test('chunk store: a range read stops at its byte limit, and a huge seq range costs no more than the chunks kept', () => {
  const store = new ChunkStore()
  for (let seq = 0; seq < 10; seq++) store.add('a', seq * 2, seq * 10, bytes(10))
  expect(store.range('a', 3, 9, Infinity).map((c) => c.seq)).toEqual([4, 6, 8])
  expect(store.range('a', 0, Number.MAX_SAFE_INTEGER, 25).map((c) => c.seq)).toEqual([0, 2, 4])
  expect(store.range('a', 0, Number.MAX_SAFE_INTEGER, Infinity)).toHaveLength(10)
})
