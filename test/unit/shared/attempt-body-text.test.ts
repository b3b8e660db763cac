import { expect, test } from 'vitest'
import { attemptBodyParts, openBlockStart } from '../../../shared/recording/attempt-body-text.ts'
import { toSseBytes } from '../../../shared/recording/export-formats.ts'
import { createFramer } from '../../../shared/sse/framer.ts'
import type { StreamRecord } from '../../../shared/sse/stream-records.ts'
import { seededRandom } from '../../support/seeded-random.ts'

const utf8 = (text: string) => new TextEncoder().encode(text)
const text = (parts: Uint8Array[]) =>
  parts.map((part) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(part)).join('')

/** What a client reads from one response body: events, retries and comments, framed by the engine. */
function readBody(body: Uint8Array) {
  const framer = createFramer({ maxEventBytes: 1 << 20, lastEventId: '', seqs: { next: 0 } })
  const out: StreamRecord[] = []
  framer.push(body, { chunkSeq: 0, atMs: 0, attempt: 0 }, out)
  framer.end({ chunkSeq: 0, atMs: 0, attempt: 0 }, out)
  return out.flatMap((r) =>
    r.kind === 'event'
      ? [`event ${r.type} ${JSON.stringify(r.data)} id=${r.id}`]
      : r.kind === 'retry'
        ? [`retry ${r.ms}`]
        : r.kind === 'comment' && !r.text.startsWith('sse-inspector:')
          ? [`comment ${r.text}`]
          : [],
  )
}

test('open block: found after the last blank line, whatever the line endings', () => {
  expect(openBlockStart(utf8('data: a\n\n'))).toBe(9)
  expect(openBlockStart(utf8('data: a\n\ndata: b\n'))).toBe(9)
  expect(openBlockStart(utf8('data: a\r\n\r\nid: 2'))).toBe(11)
  expect(openBlockStart(utf8('data: a\r\rdata: b'))).toBe(9)
  expect(openBlockStart(utf8('data: a\r\n'))).toBe(0) // one terminator ends a line, not a block
  expect(openBlockStart(utf8('\ndata: b'))).toBe(1) // an empty first line is a blank line
  expect(openBlockStart(utf8('\uFEFF\ndata: b'))).toBe(4) // after the BOM, the same
  expect(openBlockStart(utf8('data: a'))).toBe(0)
  expect(openBlockStart(new Uint8Array())).toBe(0)
})

test('a block cut by the connection: data, event and id go, comments and retry stay, a note says so', () => {
  const body = utf8('data: a\n\n: hb\nretry: 50\nid: 7\nevent: x\ndata: cut\nretry: 9')
  expect(text(attemptBodyParts(body, true, false))).toBe(
    'data: a\n\n: hb\nretry: 50\n: sse-inspector: the connection ended here, inside a block that never dispatched; its data, event and id lines are left out (a reconnect discards them)\n',
  )
  // The last attempt's body is what the server sent: nothing follows it to merge with.
  expect(attemptBodyParts(body, true, true)).toEqual([body])
  // A BOM opens only the first body (the parser strips one, at the very start).
  expect(text(attemptBodyParts(utf8('\uFEFFdata: a\n\n'), false, true))).toBe('data: a\n\n')
  expect(text(attemptBodyParts(utf8('\uFEFFdata: a\n\n'), true, true))).toBe('\uFEFFdata: a\n\n')
})

test('SSE export: attempts cut mid-event read back as the events each attempt gave, nothing merged', () => {
  for (let seed = 1; seed <= 300; seed++) {
    const random = seededRandom(seed)
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!
    const bodies = Array.from({ length: 2 + Math.floor(random() * 3) }, () => {
      const lines = Array.from({ length: 3 + Math.floor(random() * 12) }, () =>
        pick(['data: d', 'data', 'data: é', 'event: t', 'id: 4', ': c', 'retry: 7', 'foo: bar', '']),
      )
      const whole = utf8(
        (random() < 0.2 ? '\uFEFF' : '') + lines.map((l) => l + pick(['\n', '\r', '\r\n'])).join(''),
      )
      return whole.subarray(0, Math.floor(random() * (whole.length + 1))) // cut anywhere, even in CRLF or é
    })
    const records: StreamRecord[] = bodies.map((bytes, attempt) => ({
      kind: 'chunk',
      seq: attempt,
      atMs: attempt,
      attempt,
      bytes,
      startByte: 0,
    }))
    const exported = readBody(toSseBytes(records))
    expect(exported, `seed ${seed}`).toEqual(bodies.flatMap(readBody))
  }
})
