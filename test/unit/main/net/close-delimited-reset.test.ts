import { createServer, type AddressInfo, type Server } from 'node:net'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { runChecks } from '../../../../main/checks/check-runner.ts'
import { createUndiciTransport } from '../../../../main/net/undici-fetch.ts'
import { collectStream, ofKind } from '../../../support/collect-stream.ts'
import { useDemoServer } from '../../../support/demo.ts'

/**
 * A server whose bodies are delimited by the connection's close (HTTP/1.1, Connection: close, neither
 * Content-Length nor chunked): /reset cuts the connection with a TCP reset after an event, /clean
 * closes it; ?headAfter=ms delays the response head.
 */
const demo = useDemoServer()
let server: Server
let base: string
beforeAll(async () => {
  server = createServer((socket) =>
    socket.once('data', (request) => {
      const target = new URL(/^\S+ (\S+)/.exec(request.toString())![1]!, 'http://x')
      const headAfter = Number(target.searchParams.get('headAfter') ?? 0)
      setTimeout(() => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n')
        socket.write('id: 1\ndata: a\n\n')
        setTimeout(() => (target.pathname === '/reset' ? socket.resetAndDestroy() : socket.end()), 100)
      }, headAfter)
    }),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise((resolve) => server.close(resolve)))

const once = { isEnabled: false }

test('a close-delimited body cut by a reset fails as a reset, not as the clean end undici reports', async () => {
  const reset = await collectStream({ url: `${base}/reset`, reconnect: once })
  expect(reset.events.map((e) => e.data)).toEqual(['a'])
  expect(ofKind(reset.records, 'error')[0]!.message).toBe(
    'the connection was reset by the other side (ECONNRESET)',
  )
  expect(reset.outcome.cause).toBe('network')

  const clean = await collectStream({ url: `${base}/clean`, reconnect: once })
  expect(clean.events.map((e) => e.data)).toEqual(['a'])
  expect(ofKind(clean.records, 'error')).toEqual([])
  expect(clean.outcome.cause).toBe('eof')
})

/** Reads a body to its end: 'end', or the error that ended it. */
async function readToEnd(body: AsyncIterable<Uint8Array>): Promise<string> {
  try {
    for await (const chunk of body) void chunk
    return 'end'
  } catch (error) {
    return (error as Error).message
  }
}

test('of two close-delimited streams at once on one transport, each is judged by its own connection', async () => {
  const transport = createUndiciTransport()
  try {
    const init = { method: 'GET', headers: [], signal: new AbortController().signal }
    // The reset stream connects first and answers last: the newest connection to the origin is not its own.
    const resetResponse = transport.fetch(`${base}/reset?headAfter=150`, init)
    await new Promise((resolve) => setTimeout(resolve, 30))
    const clean = await transport.fetch(`${base}/clean?headAfter=0`, init)
    const reset = await resetResponse
    const [cleanEnd, resetEnd] = await Promise.all([readToEnd(clean.body!), readToEnd(reset.body!)])
    expect(cleanEnd).toBe('end')
    expect(resetEnd).toBe('the connection was reset by the other side (ECONNRESET)')
  } finally {
    await transport.close()
  }
})

test('checks: a close-delimited stream is said to end with its connection; a chunked one is not', async () => {
  const contentLength = async (url: string) =>
    (await runChecks({ url }, { durationMs: 500, resumeWaitMs: 300 })).findings.find(
      (f) => f.id === 'content-length',
    )!
  const closing = await contentLength(`${base}/clean`)
  expect(closing).toMatchObject({ status: 'pass', evidence: { endsWith: 'connection close' } })
  expect(closing.explanation).toMatch(/not chunked \(HTTP\/1\.1\), so it ends when the connection closes/)
  const chunked = await contentLength(`${demo.url}/ticker?interval=50`)
  expect(chunked).toMatchObject({ status: 'pass', evidence: { endsWith: 'its own framing' } })
  expect(chunked.explanation).toBe('The stream has no declared length, as an endless stream must.')
})
