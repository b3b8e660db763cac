import { expect, test } from 'vitest'
import { attemptBodyParts, openBlockStart } from '../../../shared/recording/attempt-body-text.ts'
import { concatBytes } from '../../../shared/concat-bytes.ts'
import { toSseBytes, toSseParts } from '../../../shared/recording/export-formats.ts'
import { createFramer } from '../../../shared/sse/framer.ts'
import type { OpenRecord, StreamRecord } from '../../../shared/sse/stream-records.ts'
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
  expect(text(attemptBodyParts([body], true, false))).toBe(
    'data: a\n\n: hb\nretry: 50\n: sse-inspector: the connection ended here, inside a block that never dispatched; its data, event and id lines are left out (a reconnect discards them)\n',
  )
  // The last attempt's body is what the server sent: nothing follows it to merge with.
  expect(attemptBodyParts([body], true, true)).toEqual([body])
  // A BOM opens only the first body (the parser strips one, at the very start).
  expect(text(attemptBodyParts([utf8('\uFEFFdata: a\n\n')], false, true))).toBe('data: a\n\n')
  expect(text(attemptBodyParts([utf8('\uFEFFdata: a\n\n')], true, true))).toBe('\uFEFFdata: a\n\n')
})

test('SSE export: attempts cut mid-event read back as the events each attempt gave, nothing merged', () => {
  for (let seed = 1; seed <= 300; seed++) {
    // Bodies go out as they come (parts released every few bytes, or each MiB), or whole at their end.
    const releaseBytes = [1, 5, undefined][seed % 3]
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
    // Most responses open a stream; some are refused (their body is not SSE); old records may have no open.
    const answers = bodies.map(() => pick(['stream', 'stream', 'stream', 'refused', 'unknown'] as const))
    // Each body in chunks cut anywhere (a BOM or a CRLF split over two), as the network gave them.
    const records: StreamRecord[] = bodies.flatMap((body, attempt) => {
      const at = { seq: attempt, atMs: attempt, attempt }
      const open = { ...openRecord, ...at, ...(answers[attempt] === 'refused' ? { status: 500 } : {}) }
      const refusal = { kind: 'error' as const, ...at, code: 'http-status' as const, message: 'HTTP 500' }
      return [
        ...(answers[attempt] === 'unknown' ? [] : [open]),
        ...chunksOf(body, random).map((bytes) => ({ kind: 'chunk' as const, ...at, bytes, startByte: 0 })),
        ...(answers[attempt] === 'refused' ? [refusal] : []),
      ]
    })
    const exported = readBody(concatBytes([...toSseParts(records, releaseBytes)]))
    const given = bodies.filter((_, attempt) => answers[attempt] !== 'refused')
    expect(exported, `seed ${seed}`).toEqual(given.flatMap(readBody))
  }
})

const openRecord: Omit<OpenRecord, 'seq' | 'atMs' | 'attempt'> = {
  kind: 'open',
  status: 200,
  statusText: '',
  headers: [['content-type', 'text/event-stream']],
  httpVersion: '1.1',
  url: 'http://127.0.0.1/',
  isRedirected: false,
  timeToHeadersMs: 1,
}

/** `bytes` cut at random places into views (some empty). */
function chunksOf(bytes: Uint8Array, random: () => number): Uint8Array[] {
  const chunks: Uint8Array[] = []
  for (let at = 0; at < bytes.length;) {
    const size = Math.floor(random() * 6)
    chunks.push(bytes.subarray(at, at + size))
    at += size
  }
  return chunks.length > 0 ? chunks : [bytes]
}

test('a long body cut far from its end: found by searching back past the first spans, chunks kept as parts', () => {
  const cases = [
    // A blank line 100 KiB before the end: the first span (64 KiB) holds none.
    `data: a\n\n: ${'x'.repeat(100_000)}\ndata: ${'y'.repeat(50_000)}`,
    // A span starting between CR and LF: its first LF alone is no blank line (the CRLF is one break).
    `data: a\n\ndata: ${'z'.repeat(70_000)}\r\n${'w'.repeat(65_535)}`,
    // No blank line at all: the whole body is the open block.
    `data: ${'v'.repeat(300_000)}\nretry: 5\n`,
  ]
  const random = seededRandom(7)
  const short = (lines: string[]) => lines.map((line) => line.slice(0, 40) + `… (${line.length})`)
  for (const text of cases) {
    const body = utf8(text)
    const next = utf8('data: next\n\n')
    const chunks = chunksOf(body, () => random() * 4000)
    const records: StreamRecord[] = [...chunks, next].map((bytes, i) => ({
      kind: 'chunk',
      seq: i,
      atMs: i,
      attempt: bytes === next ? 1 : 0,
      bytes,
      startByte: 0,
    }))
    // Read back, the text gives what each attempt gave: the cut block's data is not merged into "next".
    expect(short(readBody(toSseBytes(records)))).toEqual(short([...readBody(body), ...readBody(next)]))
    // The kept body is the chunks themselves (views of the same memory), not a copy.
    const parts = attemptBodyParts(chunks, true, false)
    if (text.startsWith('data: v'))
      expect(parts[0]!.buffer).not.toBe(body.buffer) // nothing kept
    else expect(parts[0]!.buffer).toBe(body.buffer)
  }
})

test('SSE export: a stream’s body goes out as its chunks are read, not held to its end', () => {
  const chunk = utf8('data: x\n\n'.repeat(100_000)) // 900 KB of events
  let read = 0
  function* records(): Generator<StreamRecord> {
    yield { ...openRecord, seq: 0, atMs: 0, attempt: 0 }
    for (let i = 1; i <= 20; i++, read++)
      yield { kind: 'chunk', seq: i, atMs: i, attempt: 0, bytes: chunk, startByte: 0 }
  }
  const parts = toSseParts(records())
  const first = parts.next().value!
  expect(read).toBeLessThan(5) // ~1 MiB out as the third chunk is read
  // The last body, whole: the chunks as they came.
  expect(first.length + [...parts].reduce((n, part) => n + part.length, 0)).toBe(20 * chunk.length)
})
