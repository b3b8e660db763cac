// RSS while the engine streams 1M events that nobody retains: must stay flat after the first 100k.
import '../main/runtime/small-young-generation.ts' // first: sizes the heap before anything else loads
import { nodeStreamDeps } from '../main/net/node-stream-deps.ts'
import { openStream } from '../shared/sse/open-stream.ts'
import { startDemoProcess } from './demo-process.ts'

const EVENTS = 1_000_000
const demo = await startDemoProcess()
try {
  const samples: {
    events: number
    rssMb: number
    heapMb: number
    heapTotalMb: number
    externalMb: number
  }[] = []
  const baselineMb = process.memoryUsage().rss / 1e6
  let events = 0
  const { deps, close } = nodeStreamDeps()
  const stream = openStream(
    { url: `${demo.url}/firehose?count=${EVENTS}&size=100`, reconnect: { isEnabled: false } },
    deps,
    (records) => {
      for (const record of records) {
        if (record.kind !== 'event') continue
        if (++events % 100_000 === 0) {
          const usage = process.memoryUsage()
          samples.push({
            events,
            rssMb: usage.rss / 1e6,
            heapMb: usage.heapUsed / 1e6,
            heapTotalMb: usage.heapTotal / 1e6,
            externalMb: (usage.external + usage.arrayBuffers) / 1e6,
          })
        }
      }
    },
  )
  await stream.done
  await close()
  console.log(
    `memory: RSS while streaming 1M events, nothing retained (RSS before: ${baselineMb.toFixed(0)} MB)`,
  )
  console.log(['events', 'RSS MB', 'heap used MB', 'heap total MB', 'external MB'].join('\t'))
  for (const s of samples) {
    const figures = [s.rssMb, s.heapMb, s.heapTotalMb, s.externalMb].map((mb) => mb.toFixed(0))
    console.log([s.events.toLocaleString('en'), ...figures].join('\t'))
  }
  const after100k = samples.filter((s) => s.events >= 100_000)
  const max = Math.max(...after100k.map((s) => s.rssMb))
  const growth = after100k.at(-1)!.rssMb - after100k[0]!.rssMb
  console.log(
    `memory: max RSS ${max.toFixed(0)} MB (target < 150), growth after 100k: ${growth.toFixed(0)} MB`,
  )
} finally {
  demo.stop()
}
