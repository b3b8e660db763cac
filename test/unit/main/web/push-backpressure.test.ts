import { request as httpRequest, type IncomingMessage } from 'node:http'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createParser } from 'eventsource-parser'
import { afterEach, expect, test } from 'vitest'
import type { Push } from '../../../../shared/api.ts'
import { unpackPushes } from '../../../../shared/wire-packing.ts'
import { createBackend, type Backend } from '../../../../main/backend/backend.ts'
import { startWebServer, type WebServer } from '../../../../main/web/web-server.ts'
import { useDemoServer } from '../../../support/demo.ts'

const demo = useDemoServer()
const TOKEN = 'push-backpressure-token'
const headers = { 'x-inspector-token': TOKEN }
let backend: Backend
let server: WebServer

afterEach(async () => {
  await server?.close()
  await backend?.close()
})

/** A page's push stream over a real socket, read only while `response.resume()` says so. */
function openPushes(port: number, onPush: (push: Push) => void, pageId?: string): Promise<IncomingMessage> {
  const parser = createParser({ onEvent: (event) => unpackPushes(event.data).forEach(onPush) })
  const pageHeaders = pageId ? { ...headers, 'x-inspector-page': pageId } : headers
  return new Promise((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path: '/api/pushes', headers: pageHeaders }, (response) => {
      response.setEncoding('utf8')
      response.on('data', (text: string) => parser.feed(text))
      resolve(response)
    })
      .on('error', reject)
      .end()
  })
}

async function call<T>(method: string, args: unknown[], pageId?: string): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${server.port}/api/${method}`, {
    method: 'POST',
    headers: {
      ...headers,
      'content-type': 'application/json',
      ...(pageId ? { 'x-inspector-page': pageId } : {}),
    },
    body: JSON.stringify(args),
  })
  const answer = (await response.json()) as { result: T; error?: string }
  if (!response.ok) throw new Error(`${method}: HTTP ${response.status}: ${answer.error}`)
  return answer.result
}

test('web face: a page that stops reading is sent only the newest records, and told how many it missed', async () => {
  backend = createBackend({ libraryDir: mkdtempSync(join(tmpdir(), 'sse-backpressure-')) })
  server = await startWebServer({
    backend,
    staticDir: tmpdir(),
    token: TOKEN,
    pushLimits: { maxHeldPerConnection: 20_000, maxHeldTotal: 40_000 },
  })
  const EVENTS = 300_000
  // One page reads along; the other stops reading (a busy tab) until the stream is over.
  let isClosed = false
  const watcher = await openPushes(server.port, (push) => {
    if (push.kind === 'state' && push.state === 'closed') isClosed = true
  })
  const slow: Push[] = []
  const stalled = await openPushes(server.port, (push) => slow.push(push))
  stalled.pause()

  const { connectionId } = await call<{ connectionId: string }>('connect', [
    { url: `${demo.url}/firehose?count=${EVENTS}`, reconnect: { isEnabled: false } },
    { isRecording: false },
  ])
  await expect.poll(() => isClosed, { timeout: 20_000 }).toBe(true)
  stalled.resume()
  const isSlowClosed = () =>
    slow.some((p) => p.kind === 'state' && p.connectionId === connectionId && p.state === 'closed')
  await expect.poll(isSlowClosed, { timeout: 20_000 }).toBe(true)
  watcher.destroy()
  stalled.destroy()

  const mine = slow.filter((p) => 'connectionId' in p && p.connectionId === connectionId)
  const skipped = mine.filter((p) => p.kind === 'skipped')
  const ids = mine.flatMap((p) =>
    p.kind === 'records' ? p.records.flatMap((r) => (r.kind === 'event' ? [Number(r.id)] : [])) : [],
  )
  expect(skipped.length).toBeGreaterThan(0)
  const skippedEvents = skipped.reduce((n, p) => n + (p.kind === 'skipped' ? p.events : 0), 0)
  // Nothing is lost without being counted, and nothing arrives twice or out of order.
  expect(ids.length + skippedEvents).toBe(EVENTS)
  expect(ids.at(-1)).toBe(EVENTS)
  expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true)
  // What reached the stalled page is what its socket buffers held plus at most the outbox's cap.
  expect(skippedEvents).toBeGreaterThan(EVENTS / 2)
  // The connection's header records were kept: the page still learns the response's status.
  expect(mine.some((p) => p.kind === 'records' && p.records.some((r) => r.kind === 'open'))).toBe(true)
}, 60_000)

test('web face: a replay waits for the page that opened it, which gets every record; another page does not hold it up', async () => {
  backend = createBackend({ libraryDir: mkdtempSync(join(tmpdir(), 'sse-backpressure-')) })
  server = await startWebServer({ backend, staticDir: tmpdir(), token: TOKEN })
  const EVENTS = 300_000
  await call('connect', [
    { url: `${demo.url}/firehose?count=${EVENTS}`, reconnect: { isEnabled: false } },
    { isRecording: true },
  ])
  let recordings: { id: string; outcome: string; events: number }[] = []
  await expect
    .poll(
      async () => {
        recordings = await call('listRecordings', [])
        return recordings[0]?.outcome
      },
      { timeout: 20_000 },
    )
    .toBe('eof')
  expect(recordings[0]!.events).toBe(EVENTS)

  // A page that only watches (reads along), the page that opens the replay, and a frozen third page.
  let position: { isDone: boolean } | undefined
  const watcher = await openPushes(server.port, (push) => {
    if (push.kind === 'replay') position = push.position
  })
  const received: Push[] = []
  const opener = await openPushes(server.port, (push) => received.push(push), 'page-opener')
  const frozen = await openPushes(server.port, () => {}, 'page-frozen')
  opener.pause()
  frozen.pause()
  const { connectionId } = await call<{ connectionId: string }>(
    'openRecording',
    [recordings[0]!.id, { speed: 'instant' }],
    'page-opener',
  )
  // While its page reads nothing, the replay does not run ahead of it.
  await new Promise((resolve) => setTimeout(resolve, 1500))
  expect(position?.isDone).toBe(false)
  opener.resume()
  await expect.poll(() => position?.isDone, { timeout: 30_000 }).toBe(true)
  const mine = () => received.filter((p) => 'connectionId' in p && p.connectionId === connectionId)
  const eventIds = () =>
    mine().flatMap((p) =>
      p.kind === 'records' ? p.records.flatMap((r) => (r.kind === 'event' ? [Number(r.id)] : [])) : [],
    )
  // Both counts in one: a shortfall says whether records were dropped on the way or never came.
  const tally = () => ({
    events: eventIds().length,
    skippedEvents: mine().reduce((n, p) => n + (p.kind === 'skipped' ? p.events : 0), 0),
  })
  await expect.poll(tally, { timeout: 30_000 }).toEqual({ events: EVENTS, skippedEvents: 0 })
  const ids = eventIds()
  expect(ids.every((id, i) => id === i + 1)).toBe(true)
  watcher.destroy()
  opener.destroy()
  frozen.destroy()
}, 90_000)
