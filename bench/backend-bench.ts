// The backend (what the app and the browser face run) under an endless firehose: how fast it ingests
// and pushes, and that the chunk bytes it keeps for the raw views stay within their budget (RSS flat).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createBackend } from '../main/backend/backend.ts'
import { DEFAULT_CHUNK_BUDGET_BYTES } from '../main/backend/chunk-store.ts'
import { startDemoProcess } from './demo-process.ts'

const EVENTS = 8_000_000
const SAMPLE_EVERY = 500_000
const libraryDir = mkdtempSync(join(tmpdir(), 'sse-backend-bench-'))
const demo = await startDemoProcess()
const backend = createBackend({ libraryDir })
try {
  const samples: { events: number; rssMb: number; externalMb: number }[] = []
  let events = 0
  let closed: () => void
  const isClosed = new Promise<void>((resolve) => (closed = resolve))
  // A face's subscription, as the browser face or the window has: pushes are made for someone.
  backend.subscribe((batch) => {
    for (const push of batch) {
      if (push.kind === 'state' && (push.state === 'closed' || push.state === 'failed')) closed()
      if (push.kind !== 'records') continue
      for (const record of push.records) {
        if (record.kind !== 'event' || ++events % SAMPLE_EVERY !== 0) continue
        const usage = process.memoryUsage()
        samples.push({ events, rssMb: usage.rss / 1e6, externalMb: usage.arrayBuffers / 1e6 })
      }
    }
  })
  const cpuBefore = process.cpuUsage()
  const startedMs = performance.now()
  await backend.connect(
    { url: `${demo.url}/firehose?count=${EVENTS}&size=100`, reconnect: { isEnabled: false } },
    { isRecording: false },
  )
  await isClosed
  const seconds = (performance.now() - startedMs) / 1000
  const cpu = process.cpuUsage(cpuBefore)
  console.log(
    `backend: ${(EVENTS / 1e6).toFixed(0)}M events of ~100 B through the backend and its pushes, not recorded`,
  )
  console.log(['events', 'RSS MB', 'array buffers MB'].join('\t'))
  for (const s of samples) {
    console.log([s.events.toLocaleString('en'), s.rssMb.toFixed(0), s.externalMb.toFixed(0)].join('\t'))
  }
  const budgetMb = DEFAULT_CHUNK_BUDGET_BYTES / 1e6
  // Once the budget has been filled twice over, the allocator has settled: from there RSS must stay flat.
  const full = samples.filter((s) => s.events * 110 > DEFAULT_CHUNK_BUDGET_BYTES * 2)
  const growth = full.length >= 2 ? full.at(-1)!.rssMb - full[0]!.rssMb : NaN
  console.log(
    `backend: ${Math.round(EVENTS / seconds).toLocaleString('en')} events/s, CPU ${(((cpu.user + cpu.system) / 1e6 / seconds) * 100).toFixed(0)} %; ` +
      `max RSS ${Math.max(...samples.map((s) => s.rssMb)).toFixed(0)} MB with ${budgetMb.toFixed(0)} MB of chunk bytes kept, ` +
      `growth once the budget has been filled twice over: ${growth.toFixed(0)} MB (target: flat)`,
  )
} finally {
  await backend.close()
  demo.stop()
  rmSync(libraryDir, { recursive: true, force: true })
}
