import { expect, test } from 'vitest'
import type { Push, WireRecord } from '../../../../shared/api.ts'
import {
  createAcknowledgedOutbox,
  PushOutbox,
  type OutboxLimits,
} from '../../../../main/backend/push-outbox.ts'

let seq = 0
const event = (id: string): WireRecord => ({
  kind: 'event',
  seq: ++seq,
  atMs: seq,
  attempt: 0,
  type: 'message',
  data: `data ${id}`,
  id,
  lastEventId: id,
  startByte: 0,
  endByte: 10,
  firstChunkSeq: 0,
  lastChunkSeq: 0,
})
const chunk = (sizeBytes: number): WireRecord => ({
  kind: 'chunk',
  seq: ++seq,
  atMs: seq,
  attempt: 0,
  startByte: 0,
  sizeBytes,
})
const open = (): WireRecord => ({
  kind: 'open',
  seq: ++seq,
  atMs: seq,
  attempt: 0,
  status: 200,
  statusText: 'OK',
  headers: [],
  httpVersion: '1.1',
  url: 'http://127.0.0.1/',
  isRedirected: false,
  timeToHeadersMs: 1,
})
const events = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => event(String(from + i)))
const records = (connectionId: string, list: readonly WireRecord[], sentAtMs?: number): Push => ({
  kind: 'records',
  connectionId,
  records: list,
  sentAtMs,
})

/** An outbox whose page takes messages only while `ready` says so. */
function page(limits: Partial<OutboxLimits> = {}) {
  const messages: Push[][] = []
  const state = { ready: true }
  const outbox = new PushOutbox(
    (batch) => messages.push(batch),
    () => state.ready,
    limits,
  )
  const delivered = () => messages.flat()
  const ids = (connectionId: string) =>
    delivered().flatMap((push) =>
      push.kind === 'records' && push.connectionId === connectionId
        ? push.records.flatMap((r) => (r.kind === 'event' ? [r.id] : []))
        : [],
    )
  return { outbox, messages, state, delivered, ids }
}

test('push outbox: a page that keeps up gets each batch as it comes', () => {
  const { outbox, messages } = page()
  const first = [records('c1', events(0, 3)), { kind: 'state', connectionId: 'c1', state: 'open' } as Push]
  const second = [records('c2', events(3, 2))]
  outbox.add(first)
  outbox.add(second)
  expect(messages).toEqual([first, second])
  expect(outbox.heldRecords).toBe(0)
})

test('push outbox: a batch larger than the cap reaches a page that keeps up whole, in bounded messages', () => {
  const { outbox, messages, ids } = page({ maxHeldPerConnection: 100, maxRecordsPerMessage: 40 })
  outbox.add([records('c1', events(0, 150))])
  expect(ids('c1')).toHaveLength(150)
  expect(messages).toHaveLength(4)
  expect(messages.flat().some((push) => push.kind === 'skipped')).toBe(false)
})

test('push outbox: a busy page gets held records merged per connection, in order, in bounded messages', () => {
  const { outbox, messages, state, delivered, ids } = page({ maxRecordsPerMessage: 4 })
  state.ready = false
  outbox.add([records('c1', events(0, 3), 100), records('c2', events(100, 2), 100)])
  outbox.add([records('c1', events(3, 3), 200), records('c2', events(102, 1), 200)])
  outbox.add([{ kind: 'state', connectionId: 'c1', state: 'closed' }, records('c1', events(6, 1), 300)])
  expect(messages).toHaveLength(0)
  expect(outbox.heldRecords).toBe(10)

  state.ready = true
  outbox.pump()
  expect(ids('c1')).toEqual(['0', '1', '2', '3', '4', '5', '6'])
  expect(ids('c2')).toEqual(['100', '101', '102'])
  for (const message of messages) {
    const count = message.reduce((n, p) => n + (p.kind === 'records' ? p.records.length : 0), 0)
    expect(count).toBeLessThanOrEqual(4)
  }
  // c1's records after its state change stay after it; the rest of c1 merged into one run of records.
  const c1 = delivered().filter((p) => 'connectionId' in p && p.connectionId === 'c1')
  expect(c1.map((p) => p.kind)).toEqual(['records', 'records', 'state', 'records'])
  // Each message says when its newest records were sent (the page's lag).
  const sentAt = delivered().flatMap((p) => (p.kind === 'records' ? [p.sentAtMs] : []))
  expect(sentAt.at(-1)).toBe(300)
  expect(outbox.heldRecords).toBe(0)
})

test('push outbox: past the cap the oldest go; the page is told what it missed; the header records stay', () => {
  const { outbox, state, delivered, ids } = page({ maxHeldPerConnection: 100 })
  state.ready = false
  const first = [open(), chunk(500), ...events(0, 50)]
  outbox.add([records('c1', first)])
  outbox.add([records('c1', [chunk(700), ...events(50, 100)])])
  outbox.add([records('c2', events(1000, 10))])
  expect(outbox.heldRecords).toBeLessThanOrEqual(100 + 10)

  state.ready = true
  outbox.pump()
  const c1 = delivered().filter((p) => 'connectionId' in p && p.connectionId === 'c1')
  const skipped = c1[0]!
  expect(skipped.kind).toBe('skipped')
  if (skipped.kind !== 'skipped') throw new Error('unreachable')
  // 153 records went in; the newest ones come out, with the open record (the header needs it).
  const kept = ids('c1')
  expect(kept.at(-1)).toBe('149')
  expect(kept.length + skipped.events).toBe(150)
  expect(skipped.rows).toBe(skipped.events) // events alone went: the open record was kept
  expect(skipped.bytes).toBe(1200)
  expect(skipped.lastEventId).toBe(String(149 - kept.length))
  const firstRecords = c1[1]
  expect(firstRecords?.kind === 'records' && firstRecords.records[0]!.kind).toBe('open')
  expect(ids('c2')).toHaveLength(10) // another connection's records are not touched
  // The batches the backend gave (shared with other pages) are as they were.
  expect(first).toHaveLength(52)
})

test('push outbox: a page that never reads again holds no more than the cap, batches included', () => {
  const { outbox, state } = page({ maxHeldPerConnection: 500 })
  state.ready = false
  for (let i = 0; i < 1000; i++) outbox.add([records('c1', events(i * 100, 100))])
  expect(outbox.heldRecords).toBeLessThanOrEqual(500)
  // What is dropped is let go: no batch stays referenced for the few records left of it.
  const queue = (outbox as unknown as { queue: { parts?: { records: unknown[] }[] }[] }).queue
  const referenced = queue.flatMap((held) => held.parts ?? []).reduce((n, p) => n + p.records.length, 0)
  expect(referenced).toBeLessThanOrEqual(600)
})

test('push outbox: all connections together stay under the total; the largest gives way', () => {
  const { outbox, state } = page({ maxHeldPerConnection: 1000, maxHeldTotal: 300 })
  state.ready = false
  outbox.add([records('big', events(0, 250)), records('small', events(1000, 40))])
  outbox.add([records('big', events(250, 100))])
  expect(outbox.heldRecords).toBeLessThanOrEqual(300)
  const heldBy = (outbox as unknown as { heldBy: Map<string, { records: number }> }).heldBy
  expect(heldBy.get('small')?.records).toBe(40)
})

test('push outbox: big events are held and sent by their size, not only their count', () => {
  const { outbox, messages, state, delivered, ids } = page({
    maxHeldCharsPerConnection: 10_000,
    maxCharsPerMessage: 2_500,
  })
  const big = (n: number) => ({
    ...(event(String(n)) as Extract<WireRecord, { kind: 'event' }>),
    data: 'x'.repeat(1000),
  })
  state.ready = false
  for (let n = 0; n < 30; n++) outbox.add([records('c1', [big(n)])])
  // 30 events of 1000 characters against a cap of 10 000: the oldest went, the page is told.
  expect(outbox.pressureOf('c1')).toBeLessThanOrEqual(1)
  state.ready = true
  outbox.pump()
  const skipped = delivered().find((p) => p.kind === 'skipped')
  expect(skipped?.kind === 'skipped' && skipped.events + ids('c1').length).toBe(30)
  expect(ids('c1').at(-1)).toBe('29')
  // At most 2 500 characters a message (but one event always goes, however big).
  for (const message of messages) {
    const chars = message.reduce(
      (n, p) =>
        n +
        (p.kind === 'records'
          ? p.records.reduce((m, r) => m + (r.kind === 'event' ? r.data.length : 0), 0)
          : 0),
      0,
    )
    expect(chars).toBeLessThanOrEqual(3000)
  }
  expect(messages.length).toBeGreaterThan(3)
})

test('push outbox: a reset connection no longer sends what it held', () => {
  const { outbox, state, delivered, ids } = page()
  state.ready = false
  outbox.add([records('c1', events(0, 5))])
  outbox.add([{ kind: 'reset', connectionId: 'c1' }, records('c1', events(0, 2))])
  state.ready = true
  outbox.pump()
  expect(delivered().map((p) => p.kind)).toEqual(['reset', 'records'])
  expect(ids('c1')).toEqual(['0', '1'])
})

test('push outbox: a stream of nothing but header records is capped too', () => {
  const { outbox, state } = page({ maxHeldPerConnection: 50 })
  state.ready = false
  for (let i = 0; i < 10; i++) outbox.add([records('c1', Array.from({ length: 20 }, open))])
  expect(outbox.heldRecords).toBeLessThanOrEqual(50)
})

test('acknowledged outbox: no more than two messages wait for the page; a new page starts afresh', () => {
  const sent: Push[][] = []
  const outbox = createAcknowledgedOutbox((batch) => sent.push(batch), 2, { maxHeldPerConnection: 1000 })
  for (let i = 0; i < 5; i++) outbox.add([records('c1', events(i * 10, 10))])
  expect(sent).toHaveLength(2) // the page has not applied any yet
  outbox.acknowledge()
  expect(sent).toHaveLength(3) // the three held batches went as one message
  const ids = sent.flat().flatMap((p) => (p.kind === 'records' ? p.records.map((r) => r.seq) : []))
  expect(new Set(ids).size).toBe(50)
  outbox.add([records('c1', events(50, 10))])
  outbox.add([records('c1', events(60, 10))])
  expect(sent).toHaveLength(3) // two unacknowledged again: these wait
  // The window reloaded: what the old page was sent will never be acknowledged, and what waited for
  // it is for nobody now; the new page's pushes go at once.
  outbox.reset()
  expect(outbox.pressureOf('c1')).toBe(0)
  outbox.add([records('c2', events(70, 10))])
  expect(sent).toHaveLength(4)
  expect(sent[3]!.flatMap((p) => ('connectionId' in p ? [p.connectionId] : []))).toEqual(['c2'])
})
