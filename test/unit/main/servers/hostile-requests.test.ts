import { mkdtempSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createBackend, type Backend } from '../../../../main/backend/backend.ts'
import { startDemoServer, type DemoServer } from '../../../../main/servers/demo-server.ts'
import { startWebServer, type WebServer } from '../../../../main/web/web-server.ts'

let backend: Backend
let web: WebServer
let demo: DemoServer

beforeAll(async () => {
  const staticDir = mkdtempSync(join(tmpdir(), 'sse-static-'))
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>SSE Inspector</title>')
  backend = createBackend({ libraryDir: mkdtempSync(join(tmpdir(), 'sse-web-')) })
  web = await startWebServer({ backend, staticDir, token: 'web-server-token' })
  demo = await startDemoServer()
})

afterAll(async () => {
  await web?.close()
  await demo?.close()
  await backend?.close()
})

/** A request as raw bytes (what a browser or curl would not send, a hostile page might): the status line back. */
function rawRequest(port: number, target: string, host = `127.0.0.1:${port}`): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
    )
    let answer = ''
    socket.on('data', (part: Buffer) => {
      answer += part.toString('latin1')
      if (answer.includes('\r\n')) socket.destroy() // the status line is all we read (streams never end)
    })
    socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''))
    socket.on('error', reject)
  })
}

const HOSTILE_TARGETS = ['//', '//x/y', '/%E0%A4%A', '/%', '/status/%', '/firehose?count=%&size=%']

test('web server: malformed or hostile targets get an answer each, and the server stays up', async () => {
  // "%E0%A4%A" once threw in decodeURIComponent and took the whole server (and its backend) down.
  expect(await rawRequest(web.port, '/%E0%A4%A')).toBe('HTTP/1.1 400 Bad Request')
  expect(await rawRequest(web.port, '/%')).toBe('HTTP/1.1 400 Bad Request')
  expect(await rawRequest(web.port, '//')).toBe('HTTP/1.1 404 Not Found')
  expect(await rawRequest(web.port, '/../../etc/passwd')).toBe('HTTP/1.1 404 Not Found')
  expect(await rawRequest(web.port, '/%2e%2e/%2e%2e/etc/passwd')).toBe('HTTP/1.1 404 Not Found')
  expect(await rawRequest(web.port, '*')).toBe('HTTP/1.1 400 Bad Request')
  expect(await rawRequest(web.port, '/', 'evil.example:80')).toBe('HTTP/1.1 403 Forbidden')
  for (const target of HOSTILE_TARGETS)
    expect(await rawRequest(web.port, target)).toMatch(/^HTTP\/1\.1 4\d\d /)
  const page = await fetch(`http://127.0.0.1:${web.port}/`)
  expect(await page.text()).toContain('SSE Inspector')
})

test('demo and replay servers: hostile targets fail alone (GET // once ended the process)', async () => {
  for (const target of HOSTILE_TARGETS)
    expect(await rawRequest(demo.port, target), target).toMatch(/^HTTP\/1\.1 /)
  expect(await rawRequest(demo.port, '//')).toBe('HTTP/1.1 404 Not Found')
  expect(await rawRequest(demo.port, '/ticker?count=1')).toBe('HTTP/1.1 200 OK')

  // A replay server of a short recording (the app's Library: Serve): every path replays it.
  await backend.connect({ url: `${demo.url}/ticker?interval=5&count=2`, reconnect: { isEnabled: false } })
  let recordingId: string | undefined
  for (let tries = 0; !recordingId; tries++) {
    if (tries === 100) throw new Error('the ticker was not recorded in 5 s')
    await new Promise((resolve) => setTimeout(resolve, 50))
    recordingId = (await backend.listRecordings()).find((r) => r.outcome === 'eof')?.id
  }
  const { url } = await backend.serveRecording(recordingId, {})
  const port = Number(new URL(url).port)
  for (const target of HOSTILE_TARGETS) expect(await rawRequest(port, target), target).toMatch(/^HTTP\/1\.1 /)
  expect(await rawRequest(port, '*')).toBe('HTTP/1.1 400 Bad Request')
  expect(await rawRequest(port, '/')).toBe('HTTP/1.1 200 OK')

  // Delays past what a timer takes (2^31−1 ms) wait: setTimeout fired them at once, a firehose of
  // ticks from the demo, a replay that never stalled.
  expect(await idsWithin(`${demo.url}/ticker?interval=9999999999`, 700)).toEqual([])
  expect(await idsWithin(`${url}?stallAfter=1&stallMs=9999999999`, 700)).toEqual(['1'])
})

/** The ids of the events a stream sends within `ms`. */
async function idsWithin(url: string, ms: number): Promise<string[]> {
  const response = await fetch(url, { signal: AbortSignal.timeout(ms) })
  let text = ''
  try {
    for await (const part of response.body!) text += Buffer.from(part).toString()
  } catch {
    // the time is up
  }
  return [...text.matchAll(/^id: ?(.*)$/gm)].map((match) => match[1]!)
}

test('demo probe: ?cacheControl replaces the Cache-Control it sends; one a header cannot carry is a 500 that says why, the server staying', async () => {
  const headOf = async (query: string) => {
    const controller = new AbortController()
    const response = await fetch(`${demo.url}/probe?interval=1000${query}`, { signal: controller.signal })
    const head = { status: response.status, cacheControl: response.headers.get('cache-control') }
    const text = response.status === 200 ? '' : await response.text()
    controller.abort()
    return { ...head, text }
  }
  expect(await headOf('')).toMatchObject({ status: 200, cacheControl: 'no-cache, no-transform' })
  expect(await headOf('&cacheControl=no-cache')).toMatchObject({ status: 200, cacheControl: 'no-cache' })
  const refused = await headOf('&cacheControl=no-cache%0D%0AX-Injected:%201')
  expect(refused.status).toBe(500)
  expect(refused.text).toMatch(/Invalid character in header content \["cache-control"\]/)
  expect((await headOf('')).status).toBe(200)
})
