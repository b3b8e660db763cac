import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import { connect, createServer, type AddressInfo, type Server } from 'node:net'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createUndiciTransport } from '../../../../main/net/undici-fetch.ts'
import { tlsFactsOf } from '../../../../main/net/tls-facts.ts'
import { toHar } from '../../../../shared/recording/export-formats.ts'
import { fromHar } from '../../../../shared/recording/har-import.ts'
import type { OpenRecord } from '../../../../shared/sse/stream-records.ts'
import { collectStream, ofKind } from '../../../support/collect-stream.ts'
import { startForwardProxy } from '../../../support/forward-proxy.ts'
import { startTlsSseServer, TEST_CERT_FILE } from '../../../support/tls-server.ts'

const HOLD_MS = 150
const once = { isEnabled: false }

/**
 * A plain HTTP server whose answer (three events, then the end, kept alive) comes ?headAfter=ms late;
 * and an HTTPS one behind a relay that holds the server's first bytes (its TLS ServerHello) HOLD_MS:
 * a slow handshake.
 */
let http: HttpServer
let httpPort: number
let tls: { url: string; close: () => Promise<void> }
let relay: Server
let relayPort: number
beforeAll(async () => {
  http = createHttpServer((request, response) => {
    const headAfter = Number(new URL(request.url!, 'http://x').searchParams.get('headAfter') ?? 0)
    setTimeout(() => {
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      response.end('data: a\n\ndata: b\n\ndata: c\n\n')
    }, headAfter)
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  httpPort = (http.address() as AddressInfo).port
  tls = await startTlsSseServer()
  const tlsPort = Number(new URL(tls.url).port)
  relay = createServer((client) => {
    const upstream = connect(tlsPort, '127.0.0.1')
    client.pipe(upstream)
    upstream.once('data', (hello) => {
      upstream.pause()
      setTimeout(() => {
        client.write(hello)
        upstream.pipe(client)
        upstream.resume()
      }, HOLD_MS)
    })
    const end = () => (client.destroy(), upstream.destroy())
    client.on('error', end).on('close', end)
    upstream.on('error', end).on('close', end)
  })
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve))
  relayPort = (relay.address() as AddressInfo).port
})
afterAll(async () => {
  await new Promise((resolve) => http.close(resolve))
  await new Promise((resolve) => relay.close(resolve))
  await tls.close()
})

const openOf = async (url: string, transport = {}): Promise<OpenRecord> => {
  const { records } = await collectStream({ url, reconnect: once, transport })
  return ofKind(records, 'open')[0]!
}

test('a slow TLS handshake is told apart from the connect and from the wait for the server', async () => {
  const open = await openOf(`https://127.0.0.1:${relayPort}/`, { isInsecureTls: true })
  const setup = open.connectionSetup!
  expect(setup.isReused).toBe(false)
  expect(setup.dnsMs).toBeUndefined() // an IP address: nothing to look up
  expect(setup.tlsMs).toBeGreaterThanOrEqual(HOLD_MS - 5)
  expect(setup.tcpMs).toBeLessThan(HOLD_MS / 2)
  expect(open.timeToHeadersMs).toBeGreaterThanOrEqual(setup.tcpMs! + setup.tlsMs!)
  expect(open.timeToHeadersMs - setup.tcpMs! - setup.tlsMs!).toBeLessThan(HOLD_MS / 2) // the wait
})

test('a slow server is the wait, a name is looked up, plain HTTP has no TLS step', async () => {
  const open = await openOf(`http://localhost:${httpPort}/?headAfter=${HOLD_MS}`)
  const setup = open.connectionSetup!
  expect(setup.isReused).toBe(false)
  expect(setup.dnsMs).toBeGreaterThanOrEqual(0)
  expect(setup.tcpMs).toBeLessThan(HOLD_MS / 2)
  expect(setup.tlsMs).toBeUndefined()
  expect(open.timeToHeadersMs - setup.dnsMs! - setup.tcpMs!).toBeGreaterThanOrEqual(HOLD_MS - 5)
})

test('a request on a kept-alive connection is said to have reused it', async () => {
  const transport = createUndiciTransport()
  const init = { method: 'GET', headers: [], signal: new AbortController().signal }
  try {
    const setups = []
    for (let i = 0; i < 2; i++) {
      const response = await transport.fetch(`http://127.0.0.1:${httpPort}/`, init)
      for await (const chunk of response.body!) void chunk
      setups.push(response.connectionSetup)
      // The socket goes back to the pool a moment after its body has been read to the end.
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(setups[0]).toMatchObject({ isReused: false, tcpMs: expect.any(Number) })
    expect(setups[1]).toEqual({ isReused: true })
  } finally {
    await transport.close()
  }
})

test('through a proxy the set-up is not claimed (the proxy made the connection)', async () => {
  const proxy = await startForwardProxy()
  try {
    const open = await openOf(`http://127.0.0.1:${httpPort}/`, { proxyUrl: proxy.url })
    expect(open.status).toBe(200)
    expect(proxy.seen).toHaveLength(1)
    expect(open.connectionSetup).toBeUndefined()
  } finally {
    await proxy.close()
  }
})

test("HAR export gives the steps as HAR's timings (connect includes ssl), and an import reads them back", async () => {
  const { records } = await collectStream({
    url: `https://localhost:${relayPort}/`,
    reconnect: once,
    transport: { isInsecureTls: true },
  })
  const open = ofKind(records, 'open')[0]!
  const setup = open.connectionSetup!
  const har = toHar(records, '0.0.0') as unknown as {
    log: { entries: { timings: Record<string, number> }[] }
  }
  const timings = har.log.entries[0]!.timings
  expect(timings).toMatchObject({ dns: setup.dnsMs, ssl: setup.tlsMs, send: 0 })
  expect(timings.connect).toBeCloseTo(setup.tcpMs! + setup.tlsMs!, 5)
  expect(timings.dns! + timings.connect! + timings.wait!).toBeCloseTo(open.timeToHeadersMs, 5)

  const imported = [...fromHar(har).stored].find((r) => r.kind === 'open') as OpenRecord
  expect(imported.connectionSetup).toMatchObject({ isReused: false, dnsMs: setup.dnsMs, tlsMs: setup.tlsMs })
  expect(imported.connectionSetup!.tcpMs).toBeCloseTo(setup.tcpMs!, 5)
  expect(imported.timeToHeadersMs).toBeCloseTo(open.timeToHeadersMs, 0)
})

test('a TLS response tells its version, cipher and certificate, and whether the certificate is trusted', async () => {
  const insecure = await openOf(tls.url, { isInsecureTls: true })
  expect(insecure.tls).toMatchObject({
    protocol: 'TLSv1.3',
    cipher: expect.stringMatching(/^TLS_/),
    untrustedBecause: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    certificate: {
      subject: 'CN=127.0.0.1',
      issuer: 'CN=127.0.0.1',
      validTo: '2126-11-02T06:23:33.000Z',
      altNames: 'IP Address:127.0.0.1, DNS:localhost',
      sha256: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/),
    },
  })
  const trusted = await openOf(tls.url, { caFile: TEST_CERT_FILE })
  expect(trusted.tls?.certificate?.sha256).toBe(insecure.tls!.certificate!.sha256)
  expect(trusted.tls?.untrustedBecause).toBeUndefined()
  expect((await openOf(`http://127.0.0.1:${httpPort}/`)).tls).toBeUndefined()
})

test('a socket that cannot tell its TLS facts (it throws when asked) gives none, and fails nothing', () => {
  const broken = {
    getPeerCertificate: () => {
      throw new Error('socket is gone')
    },
  }
  expect(tlsFactsOf(broken)).toBeUndefined()
  expect(tlsFactsOf({})).toBeUndefined() // plain TCP
})

test('over HTTP/2 a later request goes on the same connection, and says so', async () => {
  const transport = createUndiciTransport({ caFile: TEST_CERT_FILE })
  const init = { method: 'GET', headers: [], signal: new AbortController().signal }
  try {
    const first = await transport.fetch(tls.url, init)
    for await (const chunk of first.body!) void chunk
    await new Promise((resolve) => setTimeout(resolve, 50)) // its stream done, the session idle
    const second = await transport.fetch(`${tls.url}?again=1`, init)
    for await (const chunk of second.body!) void chunk
    expect([first.httpVersion, second.httpVersion]).toEqual(['2', '2'])
    expect(first.connectionSetup).toMatchObject({ isReused: false, tlsMs: expect.any(Number) })
    expect(second.connectionSetup).toEqual({ isReused: true })
    expect(second.tls?.protocol).toBe('TLSv1.3') // the shared connection's TLS, told again
  } finally {
    await transport.close()
  }
})
