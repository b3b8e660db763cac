// A page that stops reading its push stream (a busy or frozen tab) while the backend ingests an endless
// firehose: the backend's memory must level off (the push outbox drops what the page could not take)
// instead of growing with everything the socket was given. Then the page reads again: it gets the newest
// records and a count of the rest.
import { request, type IncomingMessage } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createParser } from 'eventsource-parser'
import { unpackPushes } from '../shared/wire-packing.ts'
import { createBackend } from '../main/backend/backend.ts'
import { DEFAULT_OUTBOX_LIMITS } from '../main/backend/push-outbox.ts'
import { startWebServer } from '../main/web/web-server.ts'
import { startDemoProcess } from './demo-process.ts'

const TOKEN = 'pushes-bench'
const libraryDir = mkdtempSync(join(tmpdir(), 'sse-pushes-bench-'))
const demo = await startDemoProcess()
const backend = createBackend({ libraryDir })
const server = await startWebServer({ backend, staticDir: tmpdir(), token: TOKEN })

/** A page that reads nothing for `seconds` of an endless firehose of `sizeBytes` events, then reads again. */
async function stalledPage(sizeBytes: number, seconds: number): Promise<void> {
  let delivered = 0
  let skipped = 0
  let isClosed = false
  const parser = createParser({
    onEvent: (event) => {
      for (const push of unpackPushes(event.data)) {
        if (push.kind === 'records') for (const r of push.records) delivered += r.kind === 'event' ? 1 : 0
        else if (push.kind === 'skipped') skipped += push.events
        else if (push.kind === 'state' && push.state === 'closed') isClosed = true
      }
    },
  })
  // The page: its push stream opens, then it reads nothing until the end.
  const page = await new Promise<IncomingMessage>((resolve) =>
    request(
      { host: '127.0.0.1', port: server.port, path: '/api/pushes', headers: { 'x-inspector-token': TOKEN } },
      resolve,
    ).end(),
  )
  page.pause()
  page.setEncoding('utf8')
  page.on('data', (text: string) => parser.feed(text))

  let ingested = 0
  const unsubscribe = backend.subscribe((batch) => {
    for (const push of batch)
      if (push.kind === 'records') for (const r of push.records) ingested += r.kind === 'event' ? 1 : 0
  })
  const { connectionId } = await backend.connect(
    { url: `${demo.url}/firehose?count=1000000000&size=${sizeBytes}`, reconnect: { isEnabled: false } },
    { isRecording: false },
  )
  const samples: { second: number; events: number; rssMb: number }[] = []
  for (let second = 1; second <= seconds; second++) {
    await new Promise((resolve) => setTimeout(resolve, 1000))
    samples.push({ second, events: ingested, rssMb: process.memoryUsage().rss / 1e6 })
  }
  await backend.disconnect(connectionId)
  page.resume()
  const readStartedMs = performance.now()
  while (!isClosed && performance.now() - readStartedMs < 30_000)
    await new Promise((resolve) => setTimeout(resolve, 50))

  const limits = DEFAULT_OUTBOX_LIMITS
  console.log(
    `pushes: a page that reads nothing for ${seconds} s of an endless firehose of ${sizeBytes.toLocaleString('en')} B events; ` +
      `outbox caps ${limits.maxHeldPerConnection.toLocaleString('en')} records or ` +
      `${(limits.maxHeldCharsPerConnection / 1024 / 1024).toFixed(0)} Mi characters a connection`,
  )
  console.log(['second', 'events ingested', 'RSS MB'].join('\t'))
  for (const s of samples.filter((s) => s.second % 2 === 0))
    console.log([s.second, s.events.toLocaleString('en'), s.rssMb.toFixed(0)].join('\t'))
  const settled = samples.filter((s) => s.second >= 5)
  const growth = settled.at(-1)!.rssMb - settled[0]!.rssMb
  console.log(
    `pushes: ${Math.round(ingested / seconds).toLocaleString('en')} events/s ingested; RSS growth from 5 s to ${seconds} s: ` +
      `${growth.toFixed(0)} MB (target: flat; without the outbox the socket buffer grew with every batch); ` +
      `max RSS ${Math.max(...samples.map((s) => s.rssMb)).toFixed(0)} MB`,
  )
  console.log(
    `pushes: once it read again the page got ${delivered.toLocaleString('en')} events and a count of ` +
      `${skipped.toLocaleString('en')} it did not get (sum ${(delivered + skipped).toLocaleString('en')} of ${ingested.toLocaleString('en')} ingested)`,
  )
  page.destroy()
  unsubscribe()
}

try {
  await stalledPage(100, 20)
  console.log('')
  await stalledPage(1_000_000, 10)
} finally {
  await server.close()
  await backend.close()
  demo.stop()
  rmSync(libraryDir, { recursive: true, force: true })
}
