// Recording cost at the firehose rate, and the replay server's timing accuracy at 1k events/s.
import '../main/runtime/small-young-generation.ts' // first: sizes the heap before anything else loads
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { nodeStreamDeps } from '../main/net/node-stream-deps.ts'
import { createRecorder } from '../main/recording/recorder.ts'
import { chunksIn, readRecordingFile } from '../main/recording/recording-file.ts'
import { startReplayServer } from '../main/servers/replay-server.ts'
import { percentile } from '../shared/checks/check-run.ts'
import { openStream } from '../shared/sse/open-stream.ts'
import type { StreamRecord } from '../shared/sse/stream-records.ts'
import { startDemoProcess } from './demo-process.ts'

const EVENTS = 1_000_000
const ROUNDS = 11
const dir = mkdtempSync(join(tmpdir(), 'rec-bench-'))

async function ingest(url: string, file?: string): Promise<number> {
  const { deps, close } = nodeStreamDeps()
  const recorder = file ? createRecorder(file, { url }) : undefined
  let events = 0
  const start = performance.now()
  const stream = openStream({ url, reconnect: { isEnabled: false } }, deps, (records) => {
    recorder?.write(records)
    for (const record of records) if (record.kind === 'event') events++
  })
  await stream.done
  await recorder?.close()
  await close()
  if (events !== EVENTS) throw new Error(`expected ${EVENTS} events, got ${events}`)
  return performance.now() - start
}

const demo = await startDemoProcess()
try {
  const url = `${demo.url}/firehose?count=${EVENTS}&size=100`
  let plain = Infinity
  let recorded = Infinity
  // Best of many, taking turns: one run's figure swings ±10 % on this shared machine.
  for (let round = 0; round < ROUNDS; round++) {
    plain = Math.min(plain, await ingest(url))
    recorded = Math.min(recorded, await ingest(url, join(dir, 'firehose.rec')))
  }
  const size = statSync(join(dir, 'firehose.rec')).size
  console.log(`recording: ${EVENTS.toLocaleString('en')} firehose events (best of ${ROUNDS})`)
  console.log(`  ingest alone      ${Math.round(EVENTS / (plain / 1000)).toLocaleString('en')} events/s`)
  console.log(
    `  ingest + record   ${Math.round(EVENTS / (recorded / 1000)).toLocaleString('en')} events/s (file ${(size / 1e6).toFixed(0)} MB)`,
  )
  console.log(
    `recording: costs ${(((recorded - plain) / plain) * 100).toFixed(1)}% of ingest throughput (target <= 15%)`,
  )

  const loadStart = performance.now()
  const loaded = readRecordingFile(join(dir, 'firehose.rec'))
  console.log(
    `recording: loading and re-framing the ${(size / 1e6).toFixed(0)} MB file took ${Math.round(performance.now() - loadStart)} ms (${loaded.records.length.toLocaleString('en')} records)`,
  )

  // Replay timing: record 1k events/s for 3 s, replay at 1x, compare chunk arrival offsets.
  const paced = join(dir, 'paced.rec')
  {
    const { deps, close } = nodeStreamDeps()
    const recorder = createRecorder(paced, { url: `${demo.url}/firehose?rate=1000&count=3000` })
    const stream = openStream(
      { url: `${demo.url}/firehose?rate=1000&count=3000`, reconnect: { isEnabled: false } },
      deps,
      (r) => recorder.write(r),
    )
    await stream.done
    await recorder.close()
    await close()
  }
  const original = readRecordingFile(paced)
  const server = await startReplayServer(original)
  const replayed: StreamRecord[] = []
  {
    const { deps, close } = nodeStreamDeps()
    const stream = openStream(
      { url: server.url, reconnect: { isEnabled: false } },
      deps,
      (r) => void replayed.push(...r),
    )
    await stream.done
    await close()
  }
  await server.close()
  const offsets = (records: readonly { kind: string }[]) => {
    const chunks = chunksIn(records)
    return chunks.map((c) => c.atMs - chunks[0]!.atMs)
  }
  const a = offsets(original.records)
  const b = offsets(replayed)
  const n = Math.min(a.length, b.length)
  const errors = Array.from({ length: n }, (_, i) => Math.abs(b[i]! - a[i]!)).sort((x, y) => x - y)
  console.log(
    `replay: ${a.length} recorded chunks, ${b.length} replayed; chunk timing error p50 ${percentile(errors, 0.5).toFixed(1)} ms, p95 ${percentile(errors, 0.95).toFixed(1)} ms, max ${errors.at(-1)!.toFixed(1)} ms (target p95 <= 5 ms)`,
  )
} finally {
  demo.stop()
  rmSync(dir, { recursive: true, force: true })
}
