import { describe, expect, test } from 'vitest'
import { createFramer } from '../../../../shared/sse/framer.ts'
import type { StreamRecord } from '../../../../shared/sse/stream-records.ts'
import { seededRandom } from '../../../support/seeded-random.ts'
import { parseAsSpecSays, type SpecRecord } from '../../../support/spec-sse-parser.ts'

const utf8 = (text: string) => new TextEncoder().encode(text)

/** Frames `input` cut into chunks at `cuts` (byte offsets), as one attempt. */
function frame(
  input: Uint8Array,
  cuts: number[] = [],
  maxEventBytes = 1 << 20,
  lastEventId = '',
  wholeChunkMinRecords?: number,
): StreamRecord[] {
  const seqs = { next: 0 }
  const framer = createFramer({ maxEventBytes, lastEventId, seqs, wholeChunkMinRecords })
  const out: StreamRecord[] = []
  const points = [0, ...cuts.filter((c) => c > 0 && c < input.length), input.length]
  for (let i = 0; i + 1 < points.length; i++) {
    const chunkSeq = seqs.next++
    framer.push(input.subarray(points[i], points[i + 1]), { chunkSeq, atMs: i, attempt: 0 }, out)
  }
  framer.end({ chunkSeq: seqs.next - 1, atMs: points.length, attempt: 0 }, out)
  return out
}

/** What a reader of the stream sees, independent of how it was chunked. */
function meaning(records: StreamRecord[]) {
  return records.map((r) => {
    switch (r.kind) {
      case 'event':
        return { event: r.type, data: r.data, id: r.id, lastEventId: r.lastEventId }
      case 'retry':
        return { retry: r.ms }
      case 'comment':
        return { comment: r.text }
      case 'warning':
        return { warning: r.code }
      default:
        return { other: r.kind }
    }
  })
}

/** Every split of the input into two chunks, plus one chunk per byte, must mean the same. */
function expectSameAtEverySplit(input: Uint8Array): ReturnType<typeof meaning> {
  const whole = meaning(frame(input))
  const everyByte = Array.from({ length: input.length }, (_, i) => i)
  // As tuned, and feeding chunks whole whenever the stream allows (see wholeChunkMinRecords).
  for (const minRecords of [undefined, 0]) {
    const tuning = minRecords === undefined ? '' : ', chunks fed whole'
    for (let cut = 1; cut < input.length; cut++) {
      const split = meaning(frame(input, [cut], undefined, undefined, minRecords))
      expect(split, `split at byte ${cut}${tuning}`).toEqual(whole)
    }
    const perByte = meaning(frame(input, everyByte, undefined, undefined, minRecords))
    expect(perByte, `one byte per chunk${tuning}`).toEqual(whole)
  }
  return whole
}

type Case = { name: string; input: string | Uint8Array; expected: ReturnType<typeof meaning> }

const cases: Case[] = [
  {
    name: 'single data line',
    input: 'data: hello\n\n',
    expected: [{ event: 'message', data: 'hello', id: undefined, lastEventId: '' }],
  },
  {
    name: 'multi-line data joined with LF',
    input: 'data: a\ndata: b\n\n',
    expected: [{ event: 'message', data: 'a\nb', id: undefined, lastEventId: '' }],
  },
  {
    name: 'event type and id',
    input: 'event: tick\nid: 7\ndata: x\n\n',
    expected: [{ event: 'tick', data: 'x', id: '7', lastEventId: '7' }],
  },
  {
    name: 'last event ID persists across events',
    input: 'id: 1\ndata: a\n\ndata: b\n\n',
    expected: [
      { event: 'message', data: 'a', id: '1', lastEventId: '1' },
      { event: 'message', data: 'b', id: undefined, lastEventId: '1' },
    ],
  },
  {
    name: 'an empty id resets the last event ID',
    input: 'id: 1\ndata: a\n\nid\ndata: b\n\n',
    expected: [
      { event: 'message', data: 'a', id: '1', lastEventId: '1' },
      { event: 'message', data: 'b', id: '', lastEventId: '' },
    ],
  },
  {
    name: 'CRLF line endings',
    input: 'data: a\r\ndata: b\r\n\r\nid: 2\r\ndata: c\r\n\r\n',
    expected: [
      { event: 'message', data: 'a\nb', id: undefined, lastEventId: '' },
      { event: 'message', data: 'c', id: '2', lastEventId: '2' },
    ],
  },
  {
    name: 'bare CR line endings warn',
    input: 'data: a\rdata: b\r\rdata: c\r\r',
    expected: [
      { warning: 'cr-line-endings' },
      { event: 'message', data: 'a\nb', id: undefined, lastEventId: '' },
      { event: 'message', data: 'c', id: undefined, lastEventId: '' },
    ],
  },
  {
    name: 'mixed line endings',
    input: 'data: a\ndata: b\r\n\ndata: c\r\r\n',
    expected: [
      { event: 'message', data: 'a\nb', id: undefined, lastEventId: '' },
      { warning: 'cr-line-endings' },
      { event: 'message', data: 'c', id: undefined, lastEventId: '' },
    ],
  },
  {
    name: 'one leading BOM is stripped and reported',
    input: '\uFEFFdata: x\n\n',
    expected: [{ warning: 'bom' }, { event: 'message', data: 'x', id: undefined, lastEventId: '' }],
  },
  {
    name: 'only one BOM is stripped: a second one spoils the field name',
    input: '\uFEFF\uFEFFdata: x\n\ndata: y\n\n',
    expected: [
      { warning: 'bom' },
      { warning: 'unknown-field' },
      { event: 'message', data: 'y', id: undefined, lastEventId: '' },
    ],
  },
  {
    name: 'multi-byte UTF-8',
    input: 'data: 漢字 😀 é\n\n',
    expected: [{ event: 'message', data: '漢字 😀 é', id: undefined, lastEventId: '' }],
  },
  {
    name: 'invalid UTF-8 becomes U+FFFD',
    input: new Uint8Array([...utf8('data: a'), 0xff, 0xe2, 0x82, ...utf8('b\n\n')]),
    expected: [
      { warning: 'invalid-utf8' },
      { event: 'message', data: 'a\uFFFD\uFFFDb', id: undefined, lastEventId: '' },
    ],
  },
  {
    name: 'comments and heartbeats',
    input: ': ping\n\n:\n\ndata: x\n: inside\n\n',
    expected: [
      { comment: 'ping' },
      { comment: '' },
      { comment: 'inside' },
      { event: 'message', data: 'x', id: undefined, lastEventId: '' },
    ],
  },
  {
    name: 'retry valid and invalid',
    input: 'retry: 1500\n\nretry: 1.5\n\nretry: soon\n\n',
    expected: [{ retry: 1500 }, { warning: 'invalid-retry' }, { warning: 'invalid-retry' }],
  },
  {
    // Chromium reads retry as a 64-bit unsigned integer: one past it is ignored (here it was Infinity).
    name: 'a retry past 2^64 − 1 ms is ignored with a warning; one of days is kept',
    input: `retry: 9999999999\n\nretry: ${'9'.repeat(400)}\n\nretry: 18446744073709551616\n\n`,
    expected: [{ retry: 9999999999 }, { warning: 'invalid-retry' }, { warning: 'invalid-retry' }],
  },
  {
    name: 'unknown field ignored with a warning',
    input: 'foo: bar\ndata: x\n\n',
    expected: [{ warning: 'unknown-field' }, { event: 'message', data: 'x', id: undefined, lastEventId: '' }],
  },
  {
    name: 'an id with NUL is ignored with a warning',
    input: 'id: 1\ndata: a\n\nid: 2\u0000x\ndata: b\n\n',
    expected: [
      { event: 'message', data: 'a', id: '1', lastEventId: '1' },
      { warning: 'nul-in-id' },
      { event: 'message', data: 'b', id: undefined, lastEventId: '1' },
    ],
  },
  {
    name: 'an event without its final blank line is discarded at the end',
    input: 'data: x\n\ndata: y\n',
    expected: [
      { event: 'message', data: 'x', id: undefined, lastEventId: '' },
      { warning: 'discarded-at-eof' },
    ],
  },
  {
    name: 'an unterminated last line is discarded too',
    input: 'data: x\n\ndata: y',
    expected: [
      { event: 'message', data: 'x', id: undefined, lastEventId: '' },
      { warning: 'discarded-at-eof' },
    ],
  },
  { name: 'a block without data dispatches nothing', input: 'event: foo\n\nid\n\n', expected: [] },
  {
    name: 'field without colon and value spacing',
    input: 'data\n\ndata:no-space\n\ndata:  two\n\n',
    expected: [
      { event: 'message', data: '', id: undefined, lastEventId: '' },
      { event: 'message', data: 'no-space', id: undefined, lastEventId: '' },
      { event: 'message', data: ' two', id: undefined, lastEventId: '' },
    ],
  },
  {
    name: 'leading blank lines',
    input: '\n\n\ndata: x\n\n\n\n',
    expected: [{ event: 'message', data: 'x', id: undefined, lastEventId: '' }],
  },
]

describe('framer: every case means the same at every chunk split', () => {
  for (const { name, input, expected } of cases) {
    test(`framer: ${name}`, () => {
      const bytes = typeof input === 'string' ? utf8(input) : input
      expect(expectSameAtEverySplit(bytes)).toEqual(expected)
    })
  }
})

test('framer: byte ranges cover each block exactly, across chunks', () => {
  const input = utf8('data: a\n\n: hb\n\nid: 9\ndata: bé\n\n')
  for (const cuts of [[], [3], [9, 10], Array.from({ length: input.length }, (_, i) => i)]) {
    const events = frame(input, cuts).filter((r) => r.kind === 'event')
    expect(
      events.map((e) => [e.startByte, e.endByte]),
      `cuts ${cuts.join(',')}`,
    ).toEqual([
      [0, 9],
      [15, 32],
    ])
  }
})

/** A stream mixing canonical blocks with every shape that dispatches nothing or differs in length. */
function randomStream(random: () => number, blocks: number, oddRate: number, isSilentOnly: boolean): string {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!
  const value = () => pick(['', 'x', ' spaced', 'é', '{"n":42}', 'y'.repeat(Math.floor(random() * 40))])
  const lines = [
    () => `data: ${value()}`,
    () => `data:${value()}`,
    () => 'data',
    () => `id: ${value()}`,
    () => `id:${value()}`,
    () => 'id',
    () => `event: ${pick(['tick', 'message', ''])}`,
    () => 'event',
    () => `: ${value()}`,
    () => `retry: ${pick(['100', 'soon'])}`,
    () => `foo: ${value()}`,
    () => 'id: 1\u0000x',
  ]
  // Lines that report nothing by themselves: blocks of only these dispatch nothing and say nothing.
  const silentLines = [() => 'event', () => `event: ${pick(['tick', 'delta'])}`, () => 'id: 1\u0000x']
  const parts: string[] = []
  for (let b = 0; b < blocks; b++) {
    if (random() >= oddRate) {
      // The common shape, where the framer finds block ends by length.
      const type = random() < 0.3 ? `event: ${pick(['tick', 'delta'])}\n` : ''
      const id = random() < 0.7 ? `id: ${b}\n` : ''
      parts.push(random() < 0.5 ? `${type}${id}data: ${value()}\n\n` : `${id}${type}data: ${value()}\n\n`)
      continue
    }
    const count = Math.floor(random() * 4)
    for (let l = 0; l < count; l++) parts.push(pick(isSilentOnly ? silentLines : lines)() + '\n')
    parts.push('\n')
  }
  return parts.join('')
}

/** Records as far as they must not depend on chunking (which chunk carried them and when may). */
function framedRecords(records: StreamRecord[]) {
  return records
    .filter((r) => r.kind !== 'chunk')
    .map((r) => {
      const { atMs: _atMs, seq: _seq, ...rest } = r as StreamRecord & { firstChunkSeq?: number }
      const {
        firstChunkSeq: _first,
        lastChunkSeq: _last,
        ...stable
      } = rest as typeof rest & {
        lastChunkSeq?: number
      }
      return stable
    })
}

test('framer: records and byte ranges of random streams do not depend on chunking', () => {
  for (let seed = 1; seed <= 300; seed++) {
    const random = seededRandom(seed)
    // A third of the streams mix in every odd shape, a third only silent blocks, a third none.
    const input = utf8(randomStream(random, 40, [0.25, 0.1, 0][seed % 3]!, seed % 3 === 1))
    const perByte = frame(
      input,
      Array.from({ length: input.length }, (_, i) => i),
    )
    const oneByteEach = framedRecords(perByte)
    for (const records of [perByte, frame(input)]) {
      const seqs = records.map((r) => r.seq)
      expect(seqs, `seed ${seed}: each seq once, in order`).toEqual([...new Set(seqs)].sort((a, b) => a - b))
    }
    expect(framedRecords(frame(input)), `seed ${seed}, whole`).toEqual(oneByteEach)
    const cuts = Array.from({ length: 6 }, () => Math.floor(random() * input.length)).sort((a, b) => a - b)
    expect(framedRecords(frame(input, cuts)), `seed ${seed}, cuts ${cuts.join(',')}`).toEqual(oneByteEach)
    expectRangesCoverTheirText(input, oneByteEach, `seed ${seed}`)
  }
})

/** An event's range is its block; a comment's, retry's or warning's is its own line. */
type Ranged = { kind: string; startByte?: number; endByte?: number; code?: string }

function expectRangesCoverTheirText(input: Uint8Array, records: readonly Ranged[], what: string): void {
  for (const record of records) {
    if (record.kind === 'chunk' || record.endByte === undefined) continue
    const bytes = new TextDecoder().decode(input.subarray(record.startByte, record.endByte))
    if (record.kind === 'event') {
      expect(bytes.indexOf('\n\n'), `${what}: ${JSON.stringify(bytes)}`).toBe(bytes.length - 2)
    } else if (!(record.kind === 'warning' && record.code === 'discarded-at-eof')) {
      expect(bytes.indexOf('\n'), `${what}: ${JSON.stringify(bytes)}`).toBe(bytes.length - 1)
    }
  }
}

test('framer: random chunk sizes frame random streams as one byte per chunk does', () => {
  // Whole chunks go to the parser as they come while the stream is plain; anything else hands the
  // open block back to line-by-line framing mid-stream. Both paths must agree, whatever the cuts.
  for (let seed = 1; seed <= 200; seed++) {
    const random = seededRandom(seed * 7919)
    const input = utf8(randomStream(random, 60, [0.05, 0.02, 0][seed % 3]!, seed % 3 === 1))
    const oneByteEach = framedRecords(
      frame(
        input,
        Array.from({ length: input.length }, (_, i) => i),
      ),
    )
    const maxChunk = [3, 16, 64, 700][seed % 4]!
    const cuts: number[] = []
    for (let at = 0; at < input.length;) cuts.push((at += 1 + Math.floor(random() * maxChunk)))
    for (const minRecords of [undefined, 0]) {
      const records = frame(input, cuts, undefined, undefined, minRecords)
      const what = `seed ${seed}, chunks up to ${maxChunk} B${minRecords === 0 ? ', fed whole' : ''}`
      expect(framedRecords(records), what).toEqual(oneByteEach)
      expectRangesCoverTheirText(input, records, what)
      const seqs = records.map((r) => r.seq)
      expect(seqs, `${what}: each seq once, in order`).toEqual([...new Set(seqs)].sort((a, b) => a - b))
    }
    // Same cuts, either path: the very same records, seqs and carrying chunks included.
    const careful = frame(input, cuts, undefined, undefined, Number.POSITIVE_INFINITY)
    const whole = frame(input, cuts, undefined, undefined, 0)
    expect(whole, `seed ${seed}: fed whole as framed the careful way`).toEqual(careful)
  }
})

test('framer: long lines in chunks without LF frame as one byte per chunk does', () => {
  // Chunks of a long line are fed as they come; the parser drops an unfinished line that cannot be a
  // field, so a long unknown field or comment must still be reported, with its range.
  for (let seed = 1; seed <= 30; seed++) {
    const random = seededRandom(seed * 104_729)
    const long = () => 'z'.repeat(200 + Math.floor(random() * 1300))
    const lines = [
      () => `data: ${long()}`,
      () => `id: ${long()}`,
      () => `event: ${long()}`,
      () => `: ${long()}`,
      () => `foo${long()}: x`,
      () => `retry: ${long()}`,
      () => `data: short`,
    ]
    const blocks: string[] = []
    for (let b = 0; b < 12; b++) {
      const count = 1 + Math.floor(random() * 3)
      for (let l = 0; l < count; l++) blocks.push(lines[Math.floor(random() * lines.length)]!() + '\n')
      blocks.push('\n')
    }
    const input = utf8(blocks.join(''))
    const oneByteEach = framedRecords(
      frame(
        input,
        Array.from({ length: input.length }, (_, i) => i),
      ),
    )
    const cuts: number[] = []
    for (let at = 0; at < input.length;) cuts.push((at += 1 + Math.floor(random() * 900)))
    for (const minRecords of [undefined, 0]) {
      const records = frame(input, cuts, undefined, undefined, minRecords)
      const what = `seed ${seed}${minRecords === 0 ? ', fed whole' : ''}`
      expect(framedRecords(records), what).toEqual(oneByteEach)
      expectRangesCoverTheirText(input, records, what)
    }
    const careful = frame(input, cuts, undefined, undefined, Number.POSITIVE_INFINITY)
    expect(frame(input, cuts, undefined, undefined, 0), `seed ${seed}: either path`).toEqual(careful)
  }
})

test('framer: events name the chunks that carried them', () => {
  const input = utf8('data: a\n\ndata: b\n\n')
  // chunks get seqs 0, 1 and 3: the event record completed by chunk 1 takes seq 2
  const events = frame(input, [4, 12]).filter((r) => r.kind === 'event')
  expect(events.map((e) => [e.firstChunkSeq, e.lastChunkSeq])).toEqual([
    [0, 1],
    [1, 3],
  ])
})

test('framer: a block starting at a chunk boundary starts in the next chunk', () => {
  const events = frame(utf8('data: a\n\ndata: b\n\n'), [9]).filter((r) => r.kind === 'event')
  // chunk seqs: 0, then 2 (the first event took seq 1)
  expect(events[1]).toMatchObject({ startByte: 9, firstChunkSeq: 2, lastChunkSeq: 2 })
})

test('framer: the last event ID carries over from the previous connection', () => {
  const [event] = frame(utf8('data: x\n\n'), [], 1 << 20, '41')
  expect(event).toMatchObject({ kind: 'event', id: undefined, lastEventId: '41' })
})

test('framer: a line longer than the limit stops framing', () => {
  const seqs = { next: 0 }
  const framer = createFramer({ maxEventBytes: 1000, lastEventId: '', seqs })
  const out: StreamRecord[] = []
  framer.push(utf8('data: ' + 'x'.repeat(600)), { chunkSeq: 0, atMs: 0, attempt: 0 }, out)
  expect(framer.isTooLarge).toBe(false)
  framer.push(utf8('x'.repeat(600)), { chunkSeq: 1, atMs: 0, attempt: 0 }, out)
  expect(framer.isTooLarge).toBe(true)
  framer.push(utf8('\n\n'), { chunkSeq: 2, atMs: 0, attempt: 0 }, out)
  expect(out.filter((r) => r.kind === 'event')).toEqual([])
})

test('framer: an event of many lines beyond the limit stops framing', () => {
  const seqs = { next: 0 }
  const framer = createFramer({ maxEventBytes: 1000, lastEventId: '', seqs })
  framer.push(utf8('data: 0123456789\n'.repeat(200)), { chunkSeq: 0, atMs: 0, attempt: 0 }, [])
  expect(framer.isTooLarge).toBe(true)
})

test('framer: an event or line past the limit stops framing at it, whether it came whole or in pieces', () => {
  const cases = [
    { input: `id: 1\ndata: small\n\ndata: ${'x'.repeat(1500)}\n\nid: 3\ndata: after\n\n`, before: ['small'] },
    { input: `data: a\n\n: ${'c'.repeat(1500)}\ndata: b\n\n`, before: ['a'] },
    { input: `data: a\n\nfoo${'f'.repeat(1500)}: x\ndata: b\n\n`, before: ['a'] },
    { input: `data: a\n\ndata: ${'y'.repeat(900)}\n\n`, before: ['a', 'y'.repeat(900)] }, // under the limit: fine
  ]
  for (const { input, before } of cases) {
    const bytes = utf8(input)
    for (const wholeChunkMinRecords of [undefined, 0]) {
      for (let cut = 0; cut < bytes.length; cut++) {
        const seqs = { next: 0 }
        const framer = createFramer({ maxEventBytes: 1000, lastEventId: '', seqs, wholeChunkMinRecords })
        const out: StreamRecord[] = []
        // One chunk (cut 0), or two cut anywhere.
        for (const piece of cut === 0 ? [bytes] : [bytes.subarray(0, cut), bytes.subarray(cut)])
          framer.push(piece, { chunkSeq: seqs.next++, atMs: 0, attempt: 0 }, out)
        const where = `${input.slice(0, 12)}… cut at ${cut}, whole chunks from ${wholeChunkMinRecords}`
        expect(
          out.flatMap((r) => (r.kind === 'event' ? [r.data] : [])),
          where,
        ).toEqual(before)
        expect(framer.isTooLarge, where).toBe(before.length === 1)
      }
    }
  }
})

test('framer: retry value is exposed for the reconnect delay', () => {
  const seqs = { next: 0 }
  const framer = createFramer({ maxEventBytes: 1000, lastEventId: '', seqs })
  framer.push(utf8('retry: 250\n\nretry: bad\n\n'), { chunkSeq: 0, atMs: 0, attempt: 0 }, [])
  expect(framer.retryMs).toBe(250)
})

test('framer: records stay in order with contiguous seqs when blocks must be re-framed one by one', () => {
  const blocks: string[] = []
  for (let i = 1; i <= 300; i++)
    blocks.push(
      i % 7 === 0 ? `: heartbeat ${i}\n\n` : i % 11 === 0 ? `id: ${i}\n\n` : `id: ${i}\ndata: e${i}\n\n`,
    )
  const input = utf8(blocks.join(''))
  for (const cuts of [[], [1000, 2000, 3000], Array.from({ length: 40 }, (_, i) => i * 97)]) {
    const records = frame(input, cuts)
    const framed = records.filter((r) => r.kind !== 'chunk')
    const seqs = framed.map((r) => r.seq)
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    expect(new Set(seqs).size).toBe(seqs.length)
    expect(records.filter((r) => r.kind === 'comment')).toHaveLength(42)
    const events = records.filter((r) => r.kind === 'event')
    expect(events).toHaveLength(300 - 42 - 24) // 42 heartbeats, 24 id-only blocks
    // Every event's range is exactly its own block.
    for (const event of events) {
      const block = new TextDecoder().decode(input.subarray(event.startByte, event.endByte))
      expect(block).toBe(`id: ${event.id}\ndata: ${event.data}\n\n`)
    }
  }
})

/** A stream of any shape the spec allows or tolerates: every line ending, BOMs, NULs, bad UTF-8, odd fields. */
function anyStream(random: () => number): Uint8Array {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!
  const ends = pick([['\n'], ['\r\n'], ['\r'], ['\n', '\r\n', '\r']])
  const end = () => pick(ends)
  const value = () =>
    pick([
      '',
      'x',
      ' lead',
      '  two',
      'é€😀',
      '{"a":1}',
      'a:b',
      '\0',
      'ab\0c',
      '\uFEFF',
      'z'.repeat(random() * 300),
    ])
  const encoder = new TextEncoder()
  const parts: Uint8Array[] = []
  const add = (text: string) => parts.push(encoder.encode(text))
  if (random() < 0.2) add('\uFEFF')
  if (random() < 0.05) add('\uFEFF') // a second is data, not a BOM
  for (let b = Math.floor(random() * 40); b >= 0; b--) {
    for (let l = Math.floor(random() * 5); l > 0; l--) {
      const r = random()
      if (r < 0.4) add(`data${pick([':', ': ', ':  ', ''])}${value()}${end()}`)
      else if (r < 0.55) add(`id${pick([':', ': ', ''])}${pick([String(b), value()])}${end()}`)
      else if (r < 0.65) add(`event${pick([':', ': '])}${pick(['tick', '', value()])}${end()}`)
      else if (r < 0.72) add(`retry${pick([':', ': '])}${pick(['100', '0', '12a', ' 5', '-1'])}${end()}`)
      else if (r < 0.8) add(`:${value()}${end()}`)
      else if (r < 0.88) add(`${pick(['foo', 'Data', 'data ', ' data'])}${pick([':', ''])}${value()}${end()}`)
      else parts.push(Uint8Array.from([0xff, 0xc3, 0x28, 0xe2, 0x82].slice(0, 1 + Math.floor(random() * 5))))
    }
    add(end())
  }
  if (random() < 0.3) add(`data: unfinished${pick(['', end()])}`)
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  parts.reduce((at, part) => (bytes.set(part, at), at + part.length), 0)
  return bytes
}

/** The framer's records as the spec reference gives them. */
const asSpecRecords = (records: StreamRecord[]): SpecRecord[] =>
  records.flatMap((r): SpecRecord[] => {
    if (r.kind === 'event')
      return [{ kind: 'event', type: r.type, data: r.data, id: r.id, lastEventId: r.lastEventId }]
    if (r.kind === 'retry') return [{ kind: 'retry', ms: r.ms }]
    if (r.kind === 'comment') return [{ kind: 'comment', text: r.text }]
    return []
  })

test('framer: events, ids and retries are what a parser written from the HTML spec reads, in any chunking', () => {
  let compared = 0
  for (let seed = 1; seed <= 600; seed++) {
    const random = seededRandom(seed * 31)
    const input = anyStream(random)
    const lastEventId = random() < 0.2 ? 'carried' : ''
    const expected = parseAsSpecSays(input, lastEventId)
    compared += expected.length
    const maxChunk = [1, 7, 64, 1024, 65536][seed % 5]!
    const cuts: number[] = []
    for (
      let at = 1 + Math.floor(random() * maxChunk);
      at < input.length;
      at += 1 + Math.floor(random() * maxChunk)
    )
      cuts.push(at)
    for (const [how, records] of [
      ['whole', frame(input, [], 1 << 24, lastEventId)],
      ['cut', frame(input, cuts, 1 << 24, lastEventId)],
      ['cut, whole chunks always tried', frame(input, cuts, 1 << 24, lastEventId, 0)],
    ] as const)
      expect(asSpecRecords(records), `seed ${seed}, ${how}, chunks up to ${maxChunk} B`).toEqual(expected)
  }
  expect(compared).toBeGreaterThan(5_000) // the streams were not empty
})
