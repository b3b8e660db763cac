// Framing throughput: the engine's framer against bare eventsource-parser on the same bytes and chunking.
import { createParser } from 'eventsource-parser'
import { createFramer } from '../shared/sse/framer.ts'
import type { StreamRecord } from '../shared/sse/stream-records.ts'

type Input = { name: string; bytes: Uint8Array; events: number }

function buildInput(name: string, count: number, dataBytes: number): Input {
  const frames: string[] = []
  const pad = 'x'.repeat(dataBytes)
  for (let i = 1; i <= count; i++) frames.push(`id: ${i}\ndata: {"seq":${i},"pad":"${pad}"}\n\n`)
  return { name, bytes: new TextEncoder().encode(frames.join('')), events: count }
}

function runBare(input: Uint8Array, chunkBytes: number): number {
  let events = 0
  const parser = createParser({ onEvent: () => void events++, maxBufferSize: 64 * 1024 * 1024 })
  const decoder = new TextDecoder()
  for (let i = 0; i < input.length; i += chunkBytes)
    parser.feed(decoder.decode(input.subarray(i, i + chunkBytes), { stream: true }))
  parser.feed(decoder.decode())
  return events
}

/**
 * Bare parser plus one record per event of the engine's shape: what any consumer that keeps events pays,
 * and the floor under the framer (the bare run lets V8 drop the parser's event objects unused).
 */
function runBareWithRecords(input: Uint8Array, chunkBytes: number): number {
  let events = 0
  const out: StreamRecord[] = []
  let chunkSeq = 0
  const parser = createParser({
    maxBufferSize: 64 * 1024 * 1024,
    onEvent: (event) => {
      out.push({
        kind: 'event',
        seq: events++,
        atMs: chunkSeq,
        attempt: 0,
        type: event.event ?? 'message',
        data: event.data,
        id: event.id,
        lastEventId: event.id ?? '',
        startByte: events,
        endByte: events,
        firstChunkSeq: chunkSeq,
        lastChunkSeq: chunkSeq,
      })
    },
  })
  const decoder = new TextDecoder()
  for (let i = 0; i < input.length; i += chunkBytes) {
    chunkSeq++
    parser.feed(decoder.decode(input.subarray(i, i + chunkBytes), { stream: true }))
    out.length = 0
  }
  parser.feed(decoder.decode())
  return events
}

function runFramer(input: Uint8Array, chunkBytes: number): number {
  const seqs = { next: 0 }
  let events = 0
  const framer = createFramer({ maxEventBytes: 64 * 1024 * 1024, lastEventId: '', seqs })
  const out: StreamRecord[] = []
  for (let i = 0; i < input.length; i += chunkBytes) {
    framer.push(input.subarray(i, i + chunkBytes), { chunkSeq: seqs.next++, atMs: i, attempt: 0 }, out)
    for (const record of out) if (record.kind === 'event') events++
    out.length = 0
  }
  framer.end({ chunkSeq: seqs.next, atMs: 0, attempt: 0 }, out)
  return events
}

/**
 * The best time of each run over `rounds` rounds, the runs taking turns within a round: a slow spell of
 * this shared machine then hits all of them alike instead of whichever ran during it.
 */
function timeBestInTurns(
  runs: (() => number)[],
  expected: number,
  rounds: number,
): { best: number[]; perRound: number[][] } {
  const best = runs.map(() => Infinity)
  const perRound: number[][] = []
  for (let round = 0; round < rounds; round++) {
    perRound.push(
      runs.map((run, i) => {
        const start = performance.now()
        const events = run()
        const ms = performance.now() - start
        if (events !== expected) throw new Error(`expected ${expected} events, got ${events}`)
        best[i] = Math.min(best[i]!, ms)
        return ms
      }),
    )
  }
  return { best, perRound }
}

/** The framer's ratio in each round (bare and framer timed back to back): median, lowest and highest. */
function pairedRatios(perRound: number[][]): string {
  const ratios = perRound.map(([bare, framer]) => bare! / framer!).sort((a, b) => a - b)
  const median = ratios[Math.floor(ratios.length / 2)]!
  return ratios.length === 1
    ? `${median.toFixed(2)}x`
    : `${median.toFixed(2)}x (${ratios[0]!.toFixed(2)}-${ratios.at(-1)!.toFixed(2)})`
}

const full = process.argv.includes('--full')
const MiB = 1024 * 1024
// 1-byte chunks cost one feed per byte on both sides; the inputs are scaled down there (unless --full).
const inputs: { input: Input; chunkings: number[] }[] = [
  { input: buildInput('1M events x ~100 B', 1_000_000, 66), chunkings: [1024, 65_536] },
  { input: buildInput('10k events x 10 KiB', 10_000, 10_200), chunkings: [1024, 65_536] },
  { input: buildInput('one 50 MiB event', 1, 50 * MiB), chunkings: [1024, 65_536] },
  {
    input: buildInput(full ? '1M events x ~100 B' : '100k events x ~100 B', full ? 1_000_000 : 100_000, 66),
    chunkings: [1],
  },
  {
    input: buildInput(full ? '10k events x 10 KiB' : '1k events x 10 KiB', full ? 10_000 : 1_000, 10_200),
    chunkings: [1],
  },
  {
    input: buildInput(full ? 'one 50 MiB event' : 'one 5 MiB event', 1, full ? 50 * MiB : 5 * MiB),
    chunkings: [1],
  },
]

console.log(
  'framing: engine framer vs bare eventsource-parser (same bytes, same chunking; best of 5, taking turns; per round: the pair in each round)',
)
console.log(
  [
    'input',
    'chunk',
    'MB',
    'bare MB/s',
    'framer MB/s',
    'framer ev/s',
    'ratio',
    'per round: median (range)',
    'bare+records ratio',
  ].join('\t'),
)
const ratios: number[] = []
for (const { input, chunkings } of inputs) {
  for (const chunkBytes of chunkings) {
    const rounds = chunkBytes === 1 ? 1 : 5
    runBare(input.bytes, Math.max(chunkBytes, 1024)) // warm up both paths
    runFramer(input.bytes, Math.max(chunkBytes, 1024))
    const { best, perRound } = timeBestInTurns(
      [
        () => runBare(input.bytes, chunkBytes),
        () => runFramer(input.bytes, chunkBytes),
        () => runBareWithRecords(input.bytes, chunkBytes),
      ],
      input.events,
      rounds,
    )
    const [bareMs, framerMs, floorMs] = best as [number, number, number]
    const mb = input.bytes.length / 1e6
    const ratio = bareMs / framerMs
    ratios.push(ratio)
    console.log(
      [
        input.name,
        chunkBytes === 1 ? '1 B' : `${chunkBytes / 1024} KiB`,
        mb.toFixed(1),
        (mb / (bareMs / 1000)).toFixed(1),
        (mb / (framerMs / 1000)).toFixed(1),
        Math.round(input.events / (framerMs / 1000)).toLocaleString('en'),
        `${ratio.toFixed(2)}x`,
        pairedRatios(perRound),
        `${(bareMs / floorMs).toFixed(2)}x`,
      ].join('\t'),
    )
  }
}
console.log(`framing: worst ratio ${Math.min(...ratios).toFixed(2)}x of bare (target >= 0.70x)`)
