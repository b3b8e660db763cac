// End-to-end loopback ingest of the demo firehose: the engine against bare fetch + eventsource-parser.
import '../main/runtime/small-young-generation.ts' // first: sizes the heap before anything else loads
import { createParser } from 'eventsource-parser'
import { fetch as undiciFetch } from 'undici'
import { nodeStreamDeps } from '../main/net/node-stream-deps.ts'
import { openStream } from '../shared/sse/open-stream.ts'
import { startDemoProcess } from './demo-process.ts'

const EVENTS = Number(process.argv[2] ?? 1_000_000)
type Result = { name: string; ms: number; bytes: number; cpuMs: number }

async function bare(name: string, fetchImpl: typeof globalThis.fetch, url: string): Promise<Result> {
  const cpu = process.cpuUsage()
  const start = performance.now()
  let events = 0
  let bytes = 0
  const parser = createParser({ onEvent: () => void events++ })
  const decoder = new TextDecoder()
  const response = await fetchImpl(url)
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length
    parser.feed(decoder.decode(chunk, { stream: true }))
  }
  if (events !== EVENTS) throw new Error(`${name}: expected ${EVENTS} events, got ${events}`)
  const used = process.cpuUsage(cpu)
  return { name, ms: performance.now() - start, bytes, cpuMs: (used.user + used.system) / 1000 }
}

async function engine(url: string): Promise<Result> {
  const cpu = process.cpuUsage()
  const start = performance.now()
  let events = 0
  let bytes = 0
  const { deps, close } = nodeStreamDeps()
  const stream = openStream({ url, reconnect: { isEnabled: false } }, deps, (records) => {
    for (const record of records) {
      if (record.kind === 'event') events++
      else if (record.kind === 'chunk') bytes += record.bytes.length
    }
  })
  await stream.done
  await close()
  if (events !== EVENTS) throw new Error(`engine: expected ${EVENTS} events, got ${events}`)
  const used = process.cpuUsage(cpu)
  return {
    name: 'engine (openStream)',
    ms: performance.now() - start,
    bytes,
    cpuMs: (used.user + used.system) / 1000,
  }
}

const demo = await startDemoProcess()
const url = `${demo.url}/firehose?count=${EVENTS}&size=100`
try {
  const runs: Result[] = []
  for (let round = 0; round < 3; round++) {
    runs.push(await bare('bare global fetch + parser', globalThis.fetch, url))
    runs.push(
      await bare('bare undici fetch + parser', undiciFetch as unknown as typeof globalThis.fetch, url),
    )
    runs.push(await engine(url))
  }
  const best = new Map<string, Result>()
  for (const run of runs) if (!best.has(run.name) || best.get(run.name)!.ms > run.ms) best.set(run.name, run)
  console.log(
    `ingest: ${EVENTS.toLocaleString('en')} events of ~100 B from the demo firehose over loopback (best of 3)`,
  )
  console.log(['reader', 'events/s', 'MB/s', 'client CPU'].join('\t'))
  for (const run of best.values()) {
    console.log(
      [
        run.name,
        Math.round(EVENTS / (run.ms / 1000)).toLocaleString('en'),
        (run.bytes / 1e6 / (run.ms / 1000)).toFixed(1),
        `${Math.round((run.cpuMs / run.ms) * 100)}%`,
      ].join('\t'),
    )
  }
  const fastestBare = Math.min(
    ...[...best.values()].filter((r) => r.name.startsWith('bare')).map((r) => r.ms),
  )
  const ratio = fastestBare / best.get('engine (openStream)')!.ms
  console.log(`ingest: engine at ${ratio.toFixed(2)}x of the fastest bare reader (target >= 0.50x)`)
} finally {
  demo.stop()
}
