import { createServer, type RequestListener } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startDemoServer, TRICKLE_EVENTS, type DemoServer } from '../../../../main/servers/demo-server.ts'
import { CookieJar } from '../../../../shared/sse/cookie-jar.ts'
import type { StreamRecord } from '../../../../shared/sse/stream-records.ts'
import { collectStream, ofKind } from '../../../support/collect-stream.ts'
import { STORM_ANSWER, withOneAnswerServer } from '../../../support/one-answer-server.ts'
import { useDemoServer } from '../../../support/demo.ts'
import { startForwardProxy, type ForwardProxy } from '../../../support/forward-proxy.ts'
import { startSocks5Proxy } from '../../../support/socks5-proxy.ts'
import { startUnacceptingListener } from '../../../support/unaccepting-listener.ts'
import { freePort } from '../../../support/local-port.ts'
import {
  CLIENT_CERT_FILE,
  CLIENT_KEY_ENCRYPTED_FILE,
  CLIENT_KEY_FILE,
  CLIENT_KEY_PASSPHRASE,
  startTlsSseServer,
  TEST_CERT_FILE,
} from '../../../support/tls-server.ts'

const demo = useDemoServer()
const once = { isEnabled: false }

type Echo = { method: string; headers: Record<string, string>; lastEventId: string | null; body: string }
const echoOf = (data: string) => JSON.parse(data) as Echo
/** A header of the first response head. */
const openHeader = (records: StreamRecord[], name: string) =>
  ofKind(records, 'open')[0]?.headers.find(([n]) => n === name)?.[1]

test('stream: sends Accept and Cache-Control by default', async () => {
  const { events } = await collectStream({ url: `${demo.url}/echo-headers`, reconnect: once })
  const echo = echoOf(events[0]!.data)
  expect(echo.headers.accept).toBe('text/event-stream')
  expect(echo.headers['cache-control']).toBe('no-cache')
  expect(echo.lastEventId).toBeNull()
})

test('stream: user headers override the defaults; POST carries the body', async () => {
  const { events, records } = await collectStream({
    url: `${demo.url}/echo-headers`,
    method: 'POST',
    headers: [
      ['Accept', 'text/event-stream, */*'],
      ['X-Custom', 'yes'],
      ['Content-Type', 'application/json'],
    ],
    body: '{"q":1}',
    reconnect: once,
  })
  const echo = echoOf(events[0]!.data)
  expect(echo.method).toBe('POST')
  expect(echo.headers.accept).toBe('text/event-stream, */*')
  expect(echo.headers['x-custom']).toBe('yes')
  expect(echo.body).toBe('{"q":1}')
  expect(ofKind(records, 'request')[0]).toMatchObject({ method: 'POST', hasBody: true })
})

test('stream: a login in the URL goes as Basic auth, as curl sends it; an Authorization given wins', async () => {
  const url = `${demo.url.replace('http://', 'http://us%C3%A9r:pa%20ss@')}/echo-headers`
  const { events, records } = await collectStream({ url, reconnect: once })
  const basic = echoOf(events[0]!.data).headers.authorization!
  expect(
    new TextDecoder().decode(Uint8Array.from(atob(basic.replace('Basic ', '')), (c) => c.charCodeAt(0))),
  ).toBe('usér:pa ss')
  // The URL the request went to carries no password (fetch refuses one; records and screens show none).
  expect(ofKind(records, 'request')[0]!.url).toBe(`${demo.url}/echo-headers`)
  const given = await collectStream({ url, headers: [['Authorization', 'Bearer t']], reconnect: once })
  expect(echoOf(given.events[0]!.data).headers.authorization).toBe('Bearer t')
})

test('stream: a server that ends each response at once with retry: 0 gets a reconnect-storm warning, once', async () => {
  await withOneAnswerServer(STORM_ANSWER, async (url) => {
    const { records } = await collectStream({ url, reconnect: { isEnabled: true, maxAttempts: 25 } })
    expect(ofKind(records, 'reconnect')).toHaveLength(25) // as the spec says: no delay added
    const storms = ofKind(records, 'warning').filter((w) => w.code === 'reconnect-storm')
    expect(storms).toHaveLength(1)
    expect(storms[0]!.message).toMatch(
      /^10 reconnects within 1 s \(the next in 0 ms\): the server ends each response/,
    )
    // A stream that reconnects at a sane pace is not warned about.
    const calm = await collectStream({
      url: `${demo.url}/ticker?interval=5&count=1&retry=100`,
      reconnect: { isEnabled: true, maxAttempts: 3 },
    })
    expect(ofKind(calm.records, 'warning')).toEqual([])
  })
})

test('stream: an initial Last-Event-ID is sent as UTF-8', async () => {
  const { events } = await collectStream({
    url: `${demo.url}/echo-headers`,
    lastEventId: 'über-✓-7',
    reconnect: once,
  })
  expect(echoOf(events[0]!.data).lastEventId).toBe('über-✓-7')
})

test('stream: reconnects after the retry delay with Last-Event-ID and the server resumes', async () => {
  const { records, events, outcome } = await collectStream({
    url: `${demo.url}/ticker?interval=5&count=3&retry=40`,
    reconnect: { isEnabled: true, maxAttempts: 1 },
  })
  expect(events.map((e) => e.id)).toEqual(['1', '2', '3', '4', '5', '6'])
  const [reconnect] = ofKind(records, 'reconnect')
  expect(reconnect).toMatchObject({ reconnectAttempt: 1, delayMs: 40, lastEventId: '3' })
  const requests = ofKind(records, 'request')
  expect(requests[1]!.headers).toContainEqual(['Last-Event-ID', '3'])
  // The second connection really waited the retry delay.
  const closes = ofKind(records, 'close')
  expect(requests[1]!.atMs - closes[0]!.atMs).toBeGreaterThanOrEqual(35)
  expect(events[3]!.attempt).toBe(1)
  expect(outcome.cause).toBe('eof')
  expect(closes.at(-1)).toMatchObject({ willReconnect: false })
})

test('stream: 204 stops without reconnecting', async () => {
  const { records, outcome } = await collectStream({
    url: `${demo.url}/status/204`,
    reconnect: { isEnabled: true, initialRetryMs: 10 },
  })
  expect(outcome.cause).toBe('no-content')
  expect(ofKind(records, 'reconnect')).toEqual([])
  expect(ofKind(records, 'open')[0]!.status).toBe(204)
})

test('stream: a non-200 status fails without reconnecting', async () => {
  const { records, outcome } = await collectStream({
    url: `${demo.url}/status/500`,
    reconnect: { isEnabled: true, initialRetryMs: 10 },
  })
  expect(outcome.cause).toBe('http-status')
  expect(ofKind(records, 'error')[0]).toMatchObject({ code: 'http-status' })
  // What the server said instead is in the error, and its bytes are kept as chunks for the raw views.
  expect(ofKind(records, 'error')[0]!.message).toBe(
    'HTTP 500 Internal Server Error: only 200 opens a stream; the body says: demo status 500',
  )
  expect(
    ofKind(records, 'chunk')
      .map((c) => new TextDecoder().decode(c.bytes))
      .join(''),
  ).toBe('demo status 500\n')
  expect(ofKind(records, 'close')[0]!.message).toBe('HTTP 500 Internal Server Error: only 200 opens a stream')
  expect(ofKind(records, 'reconnect')).toEqual([])
})

test('stream: a rate limit that says when to come back (Retry-After) is told in the failure', async () => {
  const { records, outcome } = await collectStream({
    url: `${demo.url}/status/429?retryAfter=30`,
    reconnect: { isEnabled: true, initialRetryMs: 10 },
  })
  expect(outcome.cause).toBe('http-status')
  expect(outcome.message).toBe('HTTP 429 Too Many Requests (Retry-After: 30 s): only 200 opens a stream')
  expect(ofKind(records, 'reconnect')).toEqual([]) // as EventSource: a person decides when
})

test('stream: a wrong Content-Type fails without reconnecting', async () => {
  const { records, outcome, events } = await collectStream({
    url: `${demo.url}/wrong-content-type`,
    reconnect: { isEnabled: true, initialRetryMs: 10 },
  })
  expect(outcome.cause).toBe('content-type')
  expect(ofKind(records, 'error')[0]!.message).toMatch(
    /^Content-Type "text\/plain; charset=utf-8": a stream must be text\/event-stream; the body says: id: 1 event: tick data: \{"seq":1,/,
  )
  expect(events).toEqual([]) // its body is shown, never framed
  expect(ofKind(records, 'reconnect')).toEqual([])
})

test('stream: follows redirects and reports the final URL', async () => {
  const { records, events } = await collectStream({ url: `${demo.url}/redirect`, reconnect: once })
  const [open] = ofKind(records, 'open')
  expect(open).toMatchObject({ status: 200, isRedirected: true })
  expect(open!.url).toContain('/ticker')
  expect(events.map((e) => e.id)).toEqual(['1', '2', '3'])
})

test('stream: each redirect followed is on the open record: its status, the URL and its Location', async () => {
  const url = `${demo.url}/redirect?status=302&to=${encodeURIComponent('/redirect?status=308&to=/ticker?count=1')}`
  const { records, events } = await collectStream({ url, reconnect: once })
  const [open] = ofKind(records, 'open')
  expect(open).toMatchObject({ status: 200, isRedirected: true, url: `${demo.url}/ticker?count=1` })
  expect(open!.redirects).toEqual([
    { status: 302, url, location: '/redirect?status=308&to=/ticker?count=1' },
    { status: 308, url: `${demo.url}/redirect?status=308&to=/ticker?count=1`, location: '/ticker?count=1' },
  ])
  expect(events.map((e) => e.id)).toEqual(['1'])
  const direct = await collectStream({ url: `${demo.url}/ticker?count=1`, reconnect: once })
  expect(ofKind(direct.records, 'open')[0]).not.toHaveProperty('redirects')
})

test('stream: a redirect keeps or drops the method, body and credentials as fetch does', async () => {
  const post = (url: string) =>
    collectStream({
      url,
      method: 'POST',
      body: '{"q":1}',
      headers: [
        ['Content-Type', 'application/json'],
        ['Authorization', 'Bearer sk-1'],
      ],
      reconnect: once,
    }).then(({ events }) => echoOf(events[0]!.data))
  // 307 and 308 repeat the request; 303 (and 301/302 after a POST) turn it into a GET without its body.
  const kept = await post(`${demo.url}/redirect?status=307&to=/echo-headers`)
  expect(kept).toMatchObject({ method: 'POST', body: '{"q":1}' })
  expect(kept.headers).toMatchObject({ 'content-type': 'application/json', authorization: 'Bearer sk-1' })
  for (const status of [303, 302]) {
    const turned = await post(`${demo.url}/redirect?status=${status}&to=/echo-headers`)
    expect(turned).toMatchObject({ method: 'GET', body: '' })
    expect(turned.headers['content-type']).toBeUndefined()
    expect(turned.headers.authorization).toBe('Bearer sk-1') // same origin: the credentials stay
  }
  // To another origin, Authorization and cookies stay behind.
  const elsewhere = createServer((_req, res) => {
    res.writeHead(307, { location: `${demo.url}/echo-headers` })
    res.end()
  })
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve))
  try {
    const { port } = elsewhere.address() as AddressInfo
    const { events } = await collectStream({
      url: `http://127.0.0.1:${port}/start`,
      headers: [
        ['Authorization', 'Bearer sk-1'],
        ['Cookie', 'session=s1'],
        ['X-Trace', 't1'],
      ],
      reconnect: once,
    })
    const echo = echoOf(events[0]!.data)
    expect(echo.headers.authorization).toBeUndefined()
    expect(echo.headers.cookie).toBeUndefined()
    expect(echo.headers['x-trace']).toBe('t1')
  } finally {
    elsewhere.closeAllConnections()
    await new Promise((resolve) => elsewhere.close(resolve))
  }
})

test('stream: with isKeepingCookies, a cookie set on a redirect goes with the next hop (a login redirect)', async () => {
  const url = `${demo.url}/redirect?setCookie=session=s1&to=/echo-headers`
  const kept = await collectStream({ url, reconnect: { isEnabled: false, isKeepingCookies: true } })
  expect(echoOf(kept.events[0]!.data).headers.cookie).toBe('session=s1')
  const plain = await collectStream({ url, reconnect: once })
  expect(echoOf(plain.events[0]!.data).headers.cookie).toBeUndefined()
})

test('stream: the open record keeps the cookies each redirect set, for the checks to send back', async () => {
  const url = `${demo.url}/redirect?setCookie=lb=b7&to=${encodeURIComponent('/ticker?count=1')}`
  const { records } = await collectStream({ url, reconnect: once })
  expect(ofKind(records, 'open')[0]!.redirects).toEqual([
    { status: 307, url, location: '/ticker?count=1', setCookies: ['lb=b7; Path=/'] },
  ])
  // the final response set none of its own: the jar of the responses has the redirect's
  expect(CookieJar.fromResponses(records).names(url, Date.now())).toEqual(['lb'])
  const plain = await collectStream({ url: `${demo.url}/redirect`, reconnect: once })
  expect(ofKind(plain.records, 'open')[0]!.redirects![0]).not.toHaveProperty('setCookies')
})

test('stream: with isKeepingCookies, a cookie set on a redirect is sent on the reconnects too', async () => {
  const { records } = await collectStream({
    url: `${demo.url}/redirect?setCookie=hop=1&to=${encodeURIComponent('/ticker?count=1&retry=10')}`,
    reconnect: { isEnabled: true, maxAttempts: 1, isKeepingCookies: true },
  })
  const cookies = ofKind(records, 'request').map((r) => r.headers.find(([n]) => n === 'Cookie')?.[1])
  expect(cookies).toEqual([undefined, 'hop=1'])
})

test('stream: with isKeepingCookies, a cookie for the whole site set by a login host follows the redirect to the API host', async () => {
  // login.example.test sets a site-wide session (Domain) and a cookie of its own, then sends the client
  // to the stream on api.example.test (both names resolved to 127.0.0.1, as --resolve does).
  const port = new URL(demo.url).port
  const login = createServer((_request, response) => {
    response.writeHead(302, {
      location: `http://api.example.test:${port}/echo-headers`,
      'set-cookie': ['session=s1; Domain=example.test; Path=/', 'login-only=x; Path=/'],
    })
    response.end()
  })
  await new Promise<void>((resolve) => login.listen(0, '127.0.0.1', resolve))
  try {
    const loginPort = (login.address() as AddressInfo).port
    const { events } = await collectStream({
      url: `http://login.example.test:${loginPort}/sso`,
      reconnect: { isEnabled: false, isKeepingCookies: true },
      transport: {
        resolve: [`login.example.test:${loginPort}:127.0.0.1`, `api.example.test:${port}:127.0.0.1`],
      },
    })
    expect(echoOf(events[0]!.data).headers.cookie).toBe('session=s1')
  } finally {
    await new Promise((resolve) => login.close(resolve))
  }
})

test('stream: a redirect loop fails the connection attempt with a message that says so', async () => {
  const { records, outcome } = await collectStream({ url: `${demo.url}/redirect-loop`, reconnect: once })
  expect(ofKind(records, 'open')).toEqual([])
  expect(ofKind(records, 'error')).toMatchObject([
    { code: 'connect', message: expect.stringMatching(/^more than 20 redirects: a redirect loop/) },
  ])
  expect(outcome.cause).toBe('network')
})

test('stream: with isKeepingCookies, reconnects send the cookies responses set (with the user cookies)', async () => {
  const run = async (isKeepingCookies: boolean) => {
    const { events, records } = await collectStream({
      url: `${demo.url}/sticky`,
      headers: [['Cookie', 'user=me']],
      reconnect: { isEnabled: true, maxAttempts: 2, isKeepingCookies },
    })
    const cookies = ofKind(records, 'request').map((r) => r.headers.find(([n]) => n === 'Cookie')?.[1])
    return { ids: events.map((e) => e.id), cookies }
  }
  // the affinity cookie brings each reconnect back to the backend that knows the stream: it resumes
  expect(await run(true)).toEqual({
    ids: ['1', '2', '3'],
    cookies: ['user=me', 'user=me; backend=b1', 'user=me; backend=b1'],
  })
  // without it, each lands on a backend that does not: the stream restarts
  expect(await run(false)).toEqual({ ids: ['1', '1', '1'], cookies: ['user=me', 'user=me', 'user=me'] })
})

test('stream: a refused connection is retried, then ends as a network failure', async () => {
  const { records, outcome } = await collectStream({
    url: `http://127.0.0.1:${await freePort()}/`,
    reconnect: { isEnabled: true, maxAttempts: 2, initialRetryMs: 5 },
  })
  expect(ofKind(records, 'error').map((e) => e.code)).toEqual(['connect', 'connect', 'connect'])
  expect(ofKind(records, 'error')[0]!.message).toMatch(
    /^nothing is listening at 127\.0\.0\.1:\d+ \(connection refused\) \(ECONNREFUSED\)/,
  )
  expect(ofKind(records, 'reconnect')).toHaveLength(2)
  expect(outcome.cause).toBe('network')
})

test('stream: a TLS port reached with http:// says so, not "closed mid-response"', async () => {
  const tls = await startTlsSseServer()
  try {
    const { records } = await collectStream({ url: tls.url.replace('https:', 'http:'), reconnect: once })
    const [error] = ofKind(records, 'error')
    expect(error).toMatchObject({ code: 'connect' })
    expect(error!.message).toMatch(/^the server closed the connection without answering .*use https:\/\//)
  } finally {
    await tls.close()
  }
})

test('stream: https:// to a plain-HTTP port, and a certificate for other names, say so', async () => {
  const plain = await collectStream({ url: demo.url.replace('http:', 'https:') + '/ticker', reconnect: once })
  expect(ofKind(plain.records, 'error')[0]!.message).toBe(
    'the server did not answer in TLS: this port speaks plain HTTP (use http://), or the URL names the wrong port (ERR_SSL_WRONG_VERSION_NUMBER)',
  )
  const tls = await startTlsSseServer()
  try {
    // The test certificate names 127.0.0.1 and localhost; reach it as another name.
    const port = new URL(tls.url).port
    const { records } = await collectStream({
      url: `https://sse.example.test:${port}/`,
      reconnect: once,
      transport: { caFile: TEST_CERT_FILE, resolve: [`sse.example.test:${port}:127.0.0.1`] },
    })
    expect(ofKind(records, 'error')[0]!.message).toBe(
      "the server's certificate is not for sse.example.test (it names IP Address:127.0.0.1, DNS:localhost): use a name it names, or accept any certificate (-k) (ERR_TLS_CERT_ALTNAME_INVALID)",
    )
  } finally {
    await tls.close()
  }
})

test('stream: an IPv6 address nothing listens at is written in brackets', async () => {
  const { records } = await collectStream({ url: 'http://[::1]:9/', reconnect: once })
  expect(ofKind(records, 'error')[0]!.message).toBe(
    'nothing is listening at [::1]:9 (connection refused) (ECONNREFUSED)',
  )
})

test('stream: a malformed response head, a 101, a Content-Length at odds with the body, and a body that does not decompress, are named as such', async () => {
  const { createServer: createTcpServer } = await import('node:net')
  const answers: Record<string, string> = {
    '/bad-header': 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nBad Header: x\r\n\r\ndata: a\n\n',
    '/bad-status': 'HTTP/1.1 2000 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: a\n\n',
    '/bad-chunk':
      'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n9\r\ndata: a\n\n\r\nZZ\r\n',
    '/not-gzip':
      'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Encoding: gzip\r\nContent-Length: 9\r\n\r\ndata: a\n\n',
    '/two-lengths':
      'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 5\r\nContent-Length: 9\r\n\r\ndata: a\n\n',
    '/switching':
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\ndata: a\n\n',
  }
  const server = createTcpServer((socket) =>
    socket.once('data', (request) => socket.end(answers[request.toString().split(' ')[1]!] ?? '')),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const errorOf = async (path: string) =>
    ofKind((await collectStream({ url: base + path, reconnect: once })).records, 'error')[0]!.message
  try {
    expect(await errorOf('/bad-header')).toBe(
      "the server's response head is malformed (Response does not match the HTTP/1.1 protocol (Invalid header token)): a header name or value with a character HTTP forbids, which lenient clients read and fetch, like EventSource, refuses",
    )
    expect(await errorOf('/bad-status')).toBe(
      'the server\'s response head is malformed (Response does not match the HTTP/1.1 protocol (Invalid response status)): its status line is not "HTTP/1.1 <three digits> <reason>", which lenient clients read and fetch, like EventSource, refuses',
    )
    // Mid-body: the event before the damage came; then the body's framing broke.
    const chunked = await collectStream({ url: `${base}/bad-chunk`, reconnect: once })
    expect(chunked.events.map((e) => e.data)).toEqual(['a'])
    expect(ofKind(chunked.records, 'error')[0]).toMatchObject({
      code: 'network',
      message:
        "the response body's chunked encoding is broken (Response does not match the HTTP/1.1 protocol (Invalid character in chunk size)): the server or a proxy wrote or cut it wrongly",
    })
    expect(await errorOf('/two-lengths')).toBe(
      "the response's Content-Length does not match its body (Response body length does not match content-length header): the server or a proxy declared a length it did not send, or sent two Content-Length headers that disagree (UND_ERR_RES_CONTENT_LENGTH_MISMATCH)",
    )
    expect(await errorOf('/switching')).toBe(
      'the server answered 101 Switching Protocols (bad upgrade) to a request that asked for no upgrade: this URL speaks another protocol (a WebSocket endpoint?), not SSE (UND_ERR_SOCKET)',
    )
    expect(await errorOf('/not-gzip')).toBe(
      'the body does not decompress as its Content-Encoding says (incorrect header check): the server or a proxy mislabels or damages the compressed stream (Z_DATA_ERROR)',
    )
  } finally {
    await new Promise((resolve) => server.close(resolve))
  }
})

test('stream: the HTTP version is the one the response names (an HTTP/1.0 server is not reported as 1.1)', async () => {
  const { createServer: createTcpServer } = await import('node:net')
  const server = createTcpServer((socket) =>
    socket.once('data', (request) => {
      const version = request.toString().includes('/old') ? '1.0' : '1.1'
      socket.end(
        `HTTP/${version} 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\ndata: a\n\n`,
      )
    }),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  try {
    for (const [path, version] of [
      ['/old', '1.0'],
      ['/new', '1.1'],
    ] as const) {
      const { records, events } = await collectStream({ url: base + path, reconnect: once })
      expect(events.map((e) => e.data)).toEqual(['a'])
      expect(ofKind(records, 'open')[0]!.httpVersion, path).toBe(version)
    }
  } finally {
    await new Promise((resolve) => server.close(resolve))
  }
})

test('stream: a server that does not speak HTTP says so', async () => {
  const { createServer: createTcpServer } = await import('node:net')
  const server = createTcpServer((socket) => socket.once('data', () => socket.end('SSH-2.0-OpenSSH_9.6\r\n')))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const { port } = server.address() as AddressInfo
    const { records, outcome } = await collectStream({ url: `http://127.0.0.1:${port}/`, reconnect: once })
    expect(ofKind(records, 'error')[0]!.message).toMatch(/^the server did not answer in HTTP \(.*\): /)
    expect(outcome.cause).toBe('network')
  } finally {
    await new Promise((resolve) => server.close(resolve))
  }
})

test('stream: a name that does not resolve says so', async () => {
  const { records, outcome } = await collectStream({
    url: 'http://no-such-host.sse-inspector-test.invalid/',
    reconnect: once,
  })
  expect(ofKind(records, 'error')[0]).toMatchObject({ code: 'connect' })
  expect(ofKind(records, 'error')[0]!.message).toMatch(
    /^the name no-such-host\.sse-inspector-test\.invalid does not resolve \(DNS lookup failed\)/,
  )
  expect(outcome.cause).toBe('network')
}, 30_000)

test('stream: a connection dropped mid-stream is a network error and is retried; oversized headers say so', async () => {
  let requests = 0
  const server = createServer({ maxHeaderSize: 100_000 }, (request, response) => {
    requests++
    if (request.url === '/big-head') {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'x-big': 'x'.repeat(300_000) })
      response.end('data: never\n\n')
      return
    }
    response.writeHead(200, { 'content-type': 'text/event-stream' })
    response.write(`id: ${requests}\ndata: hello\n\n`)
    setTimeout(() => response.socket?.destroy(), 20) // the server or a proxy drops the connection
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  try {
    const dropped = await collectStream({
      url: `${base}/`,
      reconnect: { isEnabled: true, maxAttempts: 1, initialRetryMs: 5 },
    })
    expect(dropped.events.map((e) => e.id)).toEqual(['1', '2'])
    const errors = ofKind(dropped.records, 'error')
    expect(errors.map((e) => e.code)).toEqual(['network', 'network'])
    expect(errors[0]!.message).toMatch(/^the connection closed mid-response \(other side closed\)/)
    expect(ofKind(dropped.records, 'reconnect')).toMatchObject([{ lastEventId: '1' }])

    const big = await collectStream({ url: `${base}/big-head`, reconnect: once })
    expect(ofKind(big.records, 'error')[0]!.message).toMatch(
      /^the response head is too large \(over 256 KiB of headers, more than browsers read\)/,
    )
  } finally {
    await new Promise((resolve) => server.close(resolve))
  }
})

test('stream: exponential backoff grows the delay between failed attempts', async () => {
  const { records } = await collectStream({
    url: `http://127.0.0.1:${await freePort()}/`,
    reconnect: {
      isEnabled: true,
      maxAttempts: 3,
      initialRetryMs: 10,
      backoff: { maxMs: 1000, hasJitter: false },
    },
  })
  expect(ofKind(records, 'reconnect').map((r) => r.delayMs)).toEqual([10, 20, 40])
})

test('stream: a server that accepts but never answers fails at the first-byte timeout, and is retried', async () => {
  const started = performance.now()
  const { records, outcome } = await collectStream({
    url: `${demo.url}/no-response`,
    reconnect: { isEnabled: true, maxAttempts: 1, initialRetryMs: 5 },
    transport: { firstByteTimeoutMs: 300 },
  })
  const errors = ofKind(records, 'error')
  expect(errors.map((e) => e.code)).toEqual(['timeout', 'timeout'])
  expect(errors[0]!.message).toContain('no response headers within 0.3 s (first-byte timeout)')
  expect(ofKind(records, 'reconnect')).toHaveLength(1)
  expect(outcome.cause).toBe('network') // a network failure, as EventSource sees it
  expect(performance.now() - started).toBeGreaterThanOrEqual(2 * 300 - 20)
})

test('stream: a connection that never completes fails at the connect timeout', async () => {
  const listener = await startUnacceptingListener()
  try {
    const { records, outcome } = await collectStream({
      url: `http://127.0.0.1:${listener.port}/`,
      reconnect: once,
      transport: { connectTimeoutMs: 300 },
    })
    expect(ofKind(records, 'open')).toEqual([])
    expect(ofKind(records, 'error')).toMatchObject([{ code: 'timeout' }])
    expect(ofKind(records, 'error')[0]!.message).toContain('no connection within 0.3 s (connect timeout)')
    expect(outcome.cause).toBe('network') // a network failure, as EventSource sees it
  } finally {
    listener.close()
  }
})

test('stream: an event larger than the limit fails the connection', async () => {
  const { records, outcome } = await collectStream({
    url: `${demo.url}/huge?bytes=${2 * 1024 * 1024}`,
    maxEventBytes: 1024 * 1024,
    reconnect: { isEnabled: true, initialRetryMs: 10 },
  })
  expect(outcome.cause).toBe('too-large')
  expect(ofKind(records, 'error')[0]).toMatchObject({
    code: 'too-large',
    message:
      'a line or event exceeded the size limit of 1.0 MiB (1048576 bytes); connection failed (the limit is a setting: Max event size in Options, --max-event-bytes on the command line)',
  })
  expect(ofKind(records, 'event')).toEqual([])
  expect(ofKind(records, 'reconnect')).toEqual([])
})

test('stream: an event just under the limit arrives whole', async () => {
  const { events } = await collectStream({
    url: `${demo.url}/huge?bytes=500000`,
    maxEventBytes: 1024 * 1024,
    reconnect: once,
  })
  expect(events[0]!.data.length).toBe(500_000)
})

test('stream: gzip is decoded and reported in the headers', async () => {
  const { records, events } = await collectStream({
    url: `${demo.url}/gzip?interval=5&count=3`,
    reconnect: once,
  })
  expect(ofKind(records, 'open')[0]!.headers).toContainEqual(['content-encoding', 'gzip'])
  expect(events.map((e) => e.id)).toEqual(['1', '2', '3'])
})

test('stream: awkward chunk boundaries (inside CRLF and UTF-8) frame correctly', async () => {
  const { records, events } = await collectStream({ url: `${demo.url}/trickle?interval=1`, reconnect: once })
  expect(events.map((e) => e.data)).toEqual(TRICKLE_EVENTS)
  expect(ofKind(records, 'chunk').length).toBeGreaterThan(TRICKLE_EVENTS.length)
  expect(ofKind(records, 'warning')).toEqual([])
  // Each event's byte range matches the bytes of its block.
  const body = new TextEncoder().encode(
    TRICKLE_EVENTS.map((d, i) => `id: ${i + 1}\r\ndata: ${d}\r\n\r\n`).join(''),
  )
  const total = ofKind(records, 'chunk').reduce((n, c) => n + c.bytes.length, 0)
  expect(total).toBe(body.length)
  // The last blank line's CRLF was cut after the CR: the event dispatches at the CR, without waiting
  // for a chunk that may come much later, so its range ends one byte short of the LF.
  expect(events.at(-1)!.endByte).toBe(body.length - 1)
  expect(events[1]!.startByte).toBe(events[0]!.endByte)
})

test('stream: chunk records carry increasing arrival times and offsets', async () => {
  const { records } = await collectStream({ url: `${demo.url}/ticker?interval=10&count=3`, reconnect: once })
  const chunks = ofKind(records, 'chunk')
  for (let i = 1; i < chunks.length; i++) {
    expect(chunks[i]!.atMs).toBeGreaterThanOrEqual(chunks[i - 1]!.atMs)
    expect(chunks[i]!.startByte).toBe(chunks[i - 1]!.startByte + chunks[i - 1]!.bytes.length)
  }
  expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i))
})

test('stream: warnings from misbehaving endpoints', async () => {
  const warningsOf = async (path: string) =>
    ofKind((await collectStream({ url: `${demo.url}${path}`, reconnect: once })).records, 'warning').map(
      (w) => w.code,
    )
  expect(await warningsOf('/bom')).toEqual(['bom'])
  expect(await warningsOf('/invalid-retry')).toEqual(['invalid-retry', 'invalid-retry'])
  expect(await warningsOf('/unknown-field')).toEqual(['unknown-field'])
  expect(await warningsOf('/nul-id')).toEqual(['nul-in-id'])
  expect(await warningsOf('/incomplete')).toEqual(['discarded-at-eof'])
  expect(await warningsOf('/cr')).toEqual(['cr-line-endings'])
})

test('stream: close() ends a live stream with cause "aborted"', async () => {
  const { records, outcome, events } = await collectStream({ url: `${demo.url}/stall` }, 300)
  expect(events).toHaveLength(1)
  expect(outcome.cause).toBe('aborted')
  expect(ofKind(records, 'close')).toEqual([
    expect.objectContaining({ cause: 'aborted', willReconnect: false }),
  ])
})

test('stream: the LLM endpoint streams chat chunks to a POST with a bearer token', async () => {
  const { events, outcome } = await collectStream({
    url: `${demo.url}/v1/chat/completions?interval=1`,
    method: 'POST',
    headers: [
      ['Authorization', 'Bearer demo'],
      ['Content-Type', 'application/json'],
    ],
    body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi there' }] }),
    reconnect: once,
  })
  expect(outcome.cause).toBe('eof')
  expect(events.at(-1)!.data).toBe('[DONE]')
  const text = events
    .slice(0, -1)
    .map(
      (e) =>
        (JSON.parse(e.data) as { choices: { delta?: { content?: string } }[] }).choices[0]?.delta?.content ??
        '',
    )
    .join('')
  expect(text).toContain('You asked "hi there".')
})

test('stream: the LLM endpoint refuses a request without a bearer token', async () => {
  const { outcome, records } = await collectStream({
    url: `${demo.url}/v1/chat/completions`,
    method: 'POST',
    body: '{"messages":[]}',
    reconnect: once,
  })
  expect(outcome.cause).toBe('http-status')
  expect(ofKind(records, 'open')[0]!.status).toBe(401)
  expect(ofKind(records, 'error')[0]!.message).toContain(
    'the body says: {"error":{"message":"missing bearer token","type":"invalid_request_error"}}',
  )
})

/** One connection (no reconnect) to a server on 127.0.0.1 that answers with `handler`, and how long it took. */
async function collectFromServer(handler: RequestListener) {
  const server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const startedMs = performance.now()
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    const collected = await collectStream({ url, reconnect: once })
    return { ...collected, elapsedMs: performance.now() - startedMs }
  } finally {
    server.closeAllConnections()
    server.close()
  }
}

test('stream: a refused response that never ends is read for half a second, 16 KiB at most', async () => {
  const { records, outcome, elapsedMs } = await collectFromServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' })
    response.write(`<!doctype html><title>Sign in</title>${' '.repeat(40_000)}<form>`) // past the limit
  })
  expect(elapsedMs).toBeLessThan(5000)
  expect(outcome.cause).toBe('content-type')
  const message = ofKind(records, 'error')[0]!.message
  expect(message).toContain('the body says: <!doctype html><title>Sign in</title>')
  expect(message.length).toBeLessThan(500) // a line, not the page
  const bodyBytes = ofKind(records, 'chunk').reduce((sum, chunk) => sum + chunk.bytes.length, 0)
  expect(bodyBytes).toBeGreaterThanOrEqual(16 * 1024)
  expect(bodyBytes).toBeLessThan(16 * 1024 + 65_536) // stops after the chunk that reached 16 KiB
})

test('stream: a refused response whose body stays silent gives up after half a second', async () => {
  const { records, outcome, elapsedMs } = await collectFromServer((_request, response) => {
    response.writeHead(502, { 'content-type': 'text/plain' })
    response.flushHeaders() // and then nothing: a proxy waiting on a dead upstream
  })
  expect(elapsedMs).toBeGreaterThanOrEqual(450)
  expect(elapsedMs).toBeLessThan(5000)
  expect(outcome.cause).toBe('http-status')
  expect(ofKind(records, 'error')[0]!.message).toBe('HTTP 502 Bad Gateway: only 200 opens a stream')
})

test('stream: reconnect() drops the connection and resumes from an edited Last-Event-ID', async () => {
  const { nodeStreamDeps } = await import('../../../../main/net/node-stream-deps.ts')
  const { openStream } = await import('../../../../shared/sse/open-stream.ts')
  const { deps, close } = nodeStreamDeps()
  const ids: string[] = []
  const stream = openStream(
    { url: `${demo.url}/ticker?interval=5`, reconnect: { isEnabled: false } },
    deps,
    (batch) => {
      for (const record of batch) if (record.kind === 'event') ids.push(record.id ?? '')
    },
  )
  while (ids.length < 2) await new Promise((resolve) => setTimeout(resolve, 5))
  stream.reconnect({ lastEventId: '100' })
  while (!ids.includes('101')) await new Promise((resolve) => setTimeout(resolve, 5))
  stream.close()
  await stream.done
  await close()
  expect(ids.slice(0, 2)).toEqual(['1', '2'])
  expect(ids).toContain('101')
})

let proxy: ForwardProxy
beforeAll(async () => {
  proxy = await startForwardProxy()
})
afterAll(async () => {
  await proxy.close()
})

test('stream: through an HTTP proxy, forwarding absolute-form requests', async () => {
  const { events, records } = await collectStream({
    url: `${demo.url}/ticker?interval=5&count=2`,
    reconnect: once,
    transport: { proxyUrl: proxy.url },
  })
  expect(events.map((e) => e.id)).toEqual(['1', '2'])
  expect(ofKind(records, 'open')[0]!.headers).toContainEqual(['x-via-proxy', 'forward'])
  expect(ofKind(records, 'open')[0]!.remoteAddress).toBeUndefined() // the socket goes to the proxy
  expect(proxy.seen).toContain(`GET ${demo.url}/ticker?interval=5&count=2`)
})

test('stream: through an HTTP proxy with a CONNECT tunnel', async () => {
  const { events } = await collectStream({
    url: `${demo.url}/ticker?interval=5&count=2`,
    reconnect: once,
    transport: { proxyUrl: proxy.url, isProxyTunnel: true },
  })
  expect(events.map((e) => e.id)).toEqual(['1', '2'])
  expect(proxy.seen).toContain(`CONNECT ${new URL(demo.url).host}`)
})

test('stream: a proxy that cannot be reached is named as the proxy, not as the server', async () => {
  const closedPort = await freePort()
  const settings = 'check the proxy (--proxy, or Proxy in Options; without one, the https_proxy'
  for (const proxyUrl of [`http://user:secret@127.0.0.1:${closedPort}`, `socks5://127.0.0.1:${closedPort}`]) {
    const { records } = await collectStream({
      url: `${demo.url}/ticker?count=1`,
      reconnect: once,
      transport: { proxyUrl, isProxyTunnel: true },
    })
    const message = ofKind(records, 'error')[0]!.message
    expect(message).toContain(
      `nothing is listening at the proxy ${proxyUrl.replace('user:secret@', '')} (connection refused): ${settings}`,
    )
    expect(message).not.toContain('secret')
  }
  const unnamed = await collectStream({
    url: `${demo.url}/ticker?count=1`,
    reconnect: once,
    transport: { proxyUrl: 'http://no-such-proxy.sse-inspector-test.invalid:3128' },
  })
  expect(ofKind(unnamed.records, 'error')[0]!.message).toContain(
    "the proxy's name no-such-proxy.sse-inspector-test.invalid does not resolve (DNS lookup failed): check the proxy",
  )
  // Without a proxy, the same failure names the server.
  const direct = await collectStream({ url: `http://127.0.0.1:${closedPort}/`, reconnect: once })
  expect(ofKind(direct.records, 'error')[0]!.message).toMatch(
    /^nothing is listening at 127\.0\.0\.1:\d+ \(connection/,
  )
}, 30_000)

test('stream: a response head of 100 KiB (a big cookie) is read as a browser reads it, directly and through a tunnel', async () => {
  const cookie = `session=${'c'.repeat(100_000)}`
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'set-cookie': cookie })
    response.end('data: hello\n\n')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  try {
    for (const transport of [{}, { proxyUrl: proxy.url, isProxyTunnel: true }]) {
      const { events, records } = await collectStream({ url, reconnect: once, transport })
      expect(
        events.map((e) => e.data),
        JSON.stringify(transport),
      ).toEqual(['hello'])
      expect(ofKind(records, 'open')[0]!.headers).toContainEqual(['set-cookie', cookie])
    }
    // undici's SOCKS5 pools keep Node's 16 KiB: the failure says so, not the limit of the other routes.
    const socks = await startSocks5Proxy()
    try {
      const { records } = await collectStream({ url, reconnect: once, transport: { proxyUrl: socks.url } })
      expect(ofKind(records, 'error')[0]!.message).toMatch(
        /^the response head is too large \(over 16 KiB of headers through a SOCKS5 proxy\)/,
      )
    } finally {
      await socks.close()
    }
  } finally {
    await new Promise((resolve) => server.close(resolve))
  }
})

test('stream: a proxy that wants a login says so (407, not retried); with it in the proxy URL, both ways work', async () => {
  const guarded = await startForwardProxy({ login: 'qa:se cret' })
  const url = `${demo.url}/ticker?interval=5&count=2`
  const retrying = { isEnabled: true, maxAttempts: 3, initialRetryMs: 10 }
  try {
    for (const isProxyTunnel of [false, true]) {
      const refused = await collectStream({
        url,
        reconnect: retrying,
        transport: { proxyUrl: guarded.url, isProxyTunnel },
      })
      expect(ofKind(refused.records, 'error').map((e) => e.message)).toEqual([
        'the proxy asks for credentials (407 Proxy Authentication Required): put them in the proxy URL, http://user:password@host:port',
      ])
      expect(ofKind(refused.records, 'close')).toMatchObject([{ cause: 'request', willReconnect: false }])
      const withLogin = guarded.url.replace('http://', 'http://qa:se%20cret@')
      const allowed = await collectStream({
        url,
        reconnect: once,
        transport: { proxyUrl: withLogin, isProxyTunnel },
      })
      expect(
        allowed.events.map((e) => e.id),
        `tunnel: ${isProxyTunnel}`,
      ).toEqual(['1', '2'])
    }
  } finally {
    await guarded.close()
  }
})

test('stream: a proxy that refuses the CONNECT tunnel (403) is named as the one refusing', async () => {
  const strict = createServer()
  strict.on('connect', (_request, socket: Socket) => socket.end('HTTP/1.1 403 Forbidden\r\n\r\n'))
  await new Promise<void>((resolve) => strict.listen(0, '127.0.0.1', resolve))
  try {
    const { records } = await collectStream({
      url: `${demo.url}/ticker`,
      reconnect: once,
      transport: {
        proxyUrl: `http://127.0.0.1:${(strict.address() as AddressInfo).port}`,
        isProxyTunnel: true,
      },
    })
    expect(ofKind(records, 'error').map((e) => e.message)).toEqual([
      'the proxy refused to open a tunnel to the server (it answered HTTP 403 to CONNECT): its access rules, or it cannot reach the server',
    ])
  } finally {
    strict.close()
  }
})

test('stream: through an https:// proxy, trusted with the extra CA or -k', async () => {
  const tlsProxy = await startForwardProxy({ isTls: true })
  const url = `${demo.url}/ticker?interval=5&count=2`
  try {
    const untrusted = await collectStream({ url, reconnect: once, transport: { proxyUrl: tlsProxy.url } })
    expect(ofKind(untrusted.records, 'error')[0]!.message).toMatch(
      /certificate is not trusted \(self-signed\)/,
    )
    expect(tlsProxy.seen).toEqual([]) // refused at the proxy's TLS handshake
    const trusted = await collectStream({
      url,
      reconnect: once,
      transport: { proxyUrl: tlsProxy.url, caFile: TEST_CERT_FILE },
    })
    expect(trusted.events.map((e) => e.id)).toEqual(['1', '2'])
    expect(ofKind(trusted.records, 'open')[0]).toMatchObject({ proxy: tlsProxy.url })
    const insecure = await collectStream({
      url,
      reconnect: once,
      transport: { proxyUrl: tlsProxy.url, isInsecureTls: true },
    })
    expect(insecure.events.map((e) => e.id)).toEqual(['1', '2'])
    // undici tunnels through an https:// proxy, even to an http:// target.
    expect(tlsProxy.seen).toEqual([`CONNECT ${new URL(demo.url).host}`, `CONNECT ${new URL(demo.url).host}`])
  } finally {
    await tlsProxy.close()
  }
})

test('stream: through a SOCKS5 proxy with a login: names resolved by the proxy, HTTPS with the extra CA', async () => {
  const socks = await startSocks5Proxy({ username: 'qa', password: 'pa:ss' })
  const login = socks.url.replace('socks5://', 'socks5h://qa:pa%3Ass@')
  const server = await startTlsSseServer()
  try {
    // demo.test has no DNS here: only the proxy resolves it (to 127.0.0.1)
    const url = `http://demo.test:${new URL(demo.url).port}/ticker?interval=5&count=2`
    const plain = await collectStream({ url, reconnect: once, transport: { proxyUrl: login } })
    expect(plain.events.map((e) => e.id)).toEqual(['1', '2'])
    expect(ofKind(plain.records, 'open')[0]).toMatchObject({ proxy: `socks5h://127.0.0.1:${socks.port}` })
    const secure = await collectStream({
      url: server.url,
      reconnect: once,
      transport: { proxyUrl: login, caFile: TEST_CERT_FILE },
    })
    expect(secure.events.length).toBeGreaterThan(0)
    expect(socks.seen).toEqual([`demo.test:${new URL(demo.url).port}`, new URL(server.url).host])

    const wrongLogin = await collectStream({
      url,
      reconnect: once,
      transport: { proxyUrl: socks.url.replace('socks5://', 'socks5://qa:nope@') },
    })
    expect(ofKind(wrongLogin.records, 'error')[0]!.message).toMatch(
      /^the SOCKS5 proxy refused the username and password/,
    )
    // our timeouts apply through it (its own pools would keep undici's defaults)
    const hung = await collectStream({
      url: `${demo.url}/no-response`,
      reconnect: once,
      transport: { proxyUrl: login, firstByteTimeoutMs: 300 },
    })
    expect(ofKind(hung.records, 'error')[0]!.message).toMatch(/no response headers within 0\.3 s/)
  } finally {
    await server.close()
    await socks.close()
  }
})

test('stream: HTTPS with a self-signed certificate fails, unless insecure or its CA is given; HTTP/2 is reported', async () => {
  const server = await startTlsSseServer()
  try {
    const strict = await collectStream({ url: server.url, reconnect: once })
    expect(strict.outcome.cause).toBe('network')
    expect(ofKind(strict.records, 'error')[0]!.message).toBe(
      "the server's certificate is not trusted (self-signed): trust its CA (--cacert / Extra CA file) or accept any certificate (-k) (DEPTH_ZERO_SELF_SIGNED_CERT)",
    )

    const insecure = await collectStream({
      url: server.url,
      reconnect: once,
      transport: { isInsecureTls: true },
    })
    expect(ofKind(insecure.records, 'open')[0]!.httpVersion).toBe('2')
    expect(insecure.events.map((e) => e.data)).toEqual(['over HTTP/2.0', 'second', 'third'])

    const withCa = await collectStream({
      url: server.url,
      reconnect: once,
      transport: { caFile: TEST_CERT_FILE },
    })
    expect(withCa.events).toHaveLength(3)

    const http1 = await collectStream({
      url: server.url,
      reconnect: once,
      transport: { isInsecureTls: true, isHttp2Allowed: false },
    })
    expect(ofKind(http1.records, 'open')[0]!.httpVersion).toBe('1.1')
    expect(http1.events[0]!.data).toBe('over HTTP/1.1')
  } finally {
    await server.close()
  }
})

test('stream: an HTTP/2 stream reset mid-body is a network failure, not a clean end; the stream resumes', async () => {
  const server = await startTlsSseServer()
  try {
    const { records, events } = await collectStream({
      url: `${server.url}reset`,
      reconnect: { isEnabled: true, maxAttempts: 1, initialRetryMs: 10 },
      transport: { isInsecureTls: true },
    })
    expect(ofKind(records, 'open')[0]!.httpVersion).toBe('2')
    expect(events.map((e) => e.data)).toEqual(['before the reset', 'before the reset'])
    const [close] = ofKind(records, 'close')
    expect(close).toMatchObject({ cause: 'network', willReconnect: true })
    expect(close!.message).toMatch(/NGHTTP2_INTERNAL_ERROR/)
    expect(ofKind(records, 'reconnect')[0]!.lastEventId).toBe('1')
  } finally {
    await server.close()
  }
})

test('stream: an HTTP/2 head of more header fields than the client takes says so, and HTTP/1.1 reads it', async () => {
  const server = await startTlsSseServer()
  try {
    const url = `${server.url}many-headers`
    const h2 = await collectStream({ url, reconnect: once, transport: { isInsecureTls: true } })
    expect(ofKind(h2.records, 'error')[0]!.message).toMatch(
      /^the server's HTTP\/2 response broke a limit of this client \(.*NGHTTP2_ENHANCE_YOUR_CALM.*\), most likely more than 128 header fields, which browsers take: connect over HTTP\/1\.1 \(--no-http2/,
    )
    const h1 = await collectStream({
      url,
      reconnect: once,
      transport: { isInsecureTls: true, isHttp2Allowed: false },
    })
    expect(ofKind(h1.records, 'open')[0]).toMatchObject({ httpVersion: '1.1' })
    expect(ofKind(h1.records, 'open')[0]!.headers).toContainEqual(['x-h199', 'v'])
    expect(h1.events).toHaveLength(3)
  } finally {
    await server.close()
  }
})

test('stream: mutual TLS: refused without a client certificate, accepted with one (cert and key files)', async () => {
  const server = await startTlsSseServer({ isClientCertRequired: true })
  try {
    const without = await collectStream({
      url: server.url,
      reconnect: once,
      transport: { caFile: TEST_CERT_FILE },
    })
    expect(without.events).toEqual([])
    expect(ofKind(without.records, 'error')).toHaveLength(1)

    const withCert = await collectStream({
      url: server.url,
      reconnect: once,
      transport: { caFile: TEST_CERT_FILE, certFile: CLIENT_CERT_FILE, keyFile: CLIENT_KEY_FILE },
    })
    expect(withCert.events.map((e) => e.data)).toEqual([
      'over HTTP/2.0 from sse-inspector-test-client',
      'second',
      'third',
    ])

    // An unreadable file is refused when the connection is set up, with the file named.
    await expect(
      collectStream({ url: server.url, reconnect: once, transport: { certFile: '/nonexistent/client.pem' } }),
    ).rejects.toThrow('cannot read the client certificate /nonexistent/client.pem')
  } finally {
    await server.close()
  }
})

test('stream: mutual TLS with an encrypted key: its passphrase opens it; a missing or wrong one is refused at once', async () => {
  const server = await startTlsSseServer({ isClientCertRequired: true })
  const transport = { caFile: TEST_CERT_FILE, certFile: CLIENT_CERT_FILE, keyFile: CLIENT_KEY_ENCRYPTED_FILE }
  try {
    const opened = await collectStream({
      url: server.url,
      reconnect: once,
      transport: { ...transport, keyPassphrase: CLIENT_KEY_PASSPHRASE },
    })
    expect(opened.events[0]!.data).toBe('over HTTP/2.0 from sse-inspector-test-client')
    await expect(collectStream({ url: server.url, reconnect: once, transport })).rejects.toThrow(
      'the client key is encrypted: give its passphrase (--pass)',
    )
    await expect(
      collectStream({
        url: server.url,
        reconnect: once,
        transport: { ...transport, keyPassphrase: 'wrong' },
      }),
    ).rejects.toThrow('the client key cannot be decrypted with that passphrase')
    // A certificate file without a key, and no key file: named as such, not as a handshake failure.
    await expect(
      collectStream({ url: server.url, reconnect: once, transport: { certFile: CLIENT_CERT_FILE } }),
    ).rejects.toThrow('the client key file holds no private key it can read')
  } finally {
    await server.close()
  }
})

/** The demo server on a port fetch refuses to connect to (the first of these that is free here). */
async function demoOnBadPort(): Promise<DemoServer> {
  for (const port of [6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080, 6000, 4190, 3659, 6566]) {
    try {
      return await startDemoServer({ port })
    } catch {
      // in use: try the next
    }
  }
  throw new Error('no bad port free on this machine')
}

test('stream: reaches servers on ports fetch refuses (6000, 6667…), with their own Host header', async () => {
  const server = await demoOnBadPort()
  try {
    const { events, records } = await collectStream({ url: `${server.url}/echo-headers`, reconnect: once })
    expect(ofKind(records, 'error')).toEqual([])
    expect(echoOf(events[0]!.data).headers.host).toBe(`127.0.0.1:${server.port}`)

    const redirected = await collectStream({ url: `${server.url}/redirect`, reconnect: once })
    expect(redirected.events.map((e) => e.id)).toEqual(['1', '2', '3'])
    expect(ofKind(redirected.records, 'open')[0]!.url).toBe(`${server.url}/ticker?count=3&interval=10`)

    const proxied = await collectStream({
      url: `${server.url}/ticker?interval=5&count=2`,
      reconnect: once,
      transport: { proxyUrl: proxy.url },
    })
    expect(proxied.events.map((e) => e.id)).toEqual(['1', '2'])
    expect(proxy.seen).toContain(`GET ${server.url}/ticker?interval=5&count=2`)
  } finally {
    await server.close()
  }
})

test('stream: a Host header of the user’s own is sent (one virtual host by address, as curl -H does)', async () => {
  const { events } = await collectStream({
    url: `${demo.url}/echo-headers`,
    headers: [['Host', 'api.example.test']],
    reconnect: once,
  })
  expect(echoOf(events[0]!.data).headers.host).toBe('api.example.test')
})

test('stream: over HTTPS, a Host of the user’s own is also the TLS server name the certificate must match', async () => {
  const server = await startTlsSseServer()
  try {
    // The test certificate is for localhost: named by Host, the server is reached by address.
    const named = await collectStream({
      url: server.url,
      headers: [['Host', 'localhost']],
      reconnect: once,
      transport: { caFile: TEST_CERT_FILE },
    })
    expect(openHeader(named.records, 'x-tls-server-name')).toBe('localhost')
    expect(openHeader(named.records, 'x-host')).toMatch(/^localhost/)
    expect(named.events).toHaveLength(3)
    // A name the certificate does not cover fails verification (as curl --resolve would), unless -k.
    const other = await collectStream({
      url: server.url,
      headers: [['Host', 'other.example.test']],
      reconnect: once,
      transport: { caFile: TEST_CERT_FILE },
    })
    expect(ofKind(other.records, 'error')[0]!.message).toMatch(/other\.example\.test/)
    const insecure = await collectStream({
      url: server.url,
      headers: [['Host', 'other.example.test']],
      reconnect: once,
      transport: { isInsecureTls: true },
    })
    expect(openHeader(insecure.records, 'x-tls-server-name')).toBe('other.example.test')
  } finally {
    await server.close()
  }
})

test('stream: --resolve connects to the given address under the URL’s name (Host and TLS keep the name)', async () => {
  const port = new URL(demo.url).port
  const { events, records } = await collectStream({
    url: `http://sse.example.invalid:${port}/echo-headers`,
    reconnect: once,
    transport: { resolve: [`sse.example.invalid:${port}:127.0.0.1`] },
  })
  // The open record says where the connection went.
  expect(ofKind(records, 'open')[0]).toMatchObject({ status: 200, remoteAddress: `127.0.0.1:${port}` })
  expect(echoOf(events[0]!.data).headers.host).toBe(`sse.example.invalid:${port}`)

  const server = await startTlsSseServer()
  try {
    const tlsPort = new URL(server.url).port
    const resolve = [`edge.example.invalid:${tlsPort}:127.0.0.1`]
    const url = `https://edge.example.invalid:${tlsPort}/`
    // The certificate (for localhost) does not cover the name: refused, naming it, unless -k.
    const refused = await collectStream({
      url,
      reconnect: once,
      transport: { resolve, caFile: TEST_CERT_FILE },
    })
    expect(ofKind(refused.records, 'error')[0]!.message).toMatch(/edge\.example\.invalid/)
    const insecure = await collectStream({
      url,
      reconnect: once,
      transport: { resolve, isInsecureTls: true },
    })
    expect(openHeader(insecure.records, 'x-tls-server-name')).toBe('edge.example.invalid')
    expect(insecure.events).toHaveLength(3)
  } finally {
    await server.close()
  }
})

test('stream: a header the HTTP client manages (Keep-Alive…) fails with a message saying so', async () => {
  const { records } = await collectStream({
    url: `${demo.url}/echo-headers`,
    headers: [['Keep-Alive', 'timeout=5']],
    reconnect: once,
  })
  const [error] = ofKind(records, 'error')
  expect(error).toMatchObject({ code: 'request' })
  expect(error!.message).toContain('the Keep-Alive header cannot be sent')
})

test('stream: a request that cannot be sent (a body on GET) ends at once, without reconnecting', async () => {
  const { records } = await collectStream({ url: `${demo.url}/echo-headers`, method: 'GET', body: '{}' })
  expect(ofKind(records, 'error')[0]).toMatchObject({ code: 'request' })
  expect(ofKind(records, 'close')).toMatchObject([{ cause: 'request', willReconnect: false }])
  expect(ofKind(records, 'reconnect')).toEqual([])
})

test('stream: the environment’s proxy (http_proxy) is used and reported; loopback goes direct', async () => {
  const saved = process.env.http_proxy
  process.env.http_proxy = proxy.url
  try {
    const port = new URL(demo.url).port
    const viaEnv = await collectStream({
      url: `http://demo.proxy.test:${port}/ticker?interval=5&count=2`,
      reconnect: once,
    })
    expect(viaEnv.events.map((e) => e.id)).toEqual(['1', '2'])
    expect(ofKind(viaEnv.records, 'open')[0]).toMatchObject({ proxy: proxy.url })
    expect(proxy.seen).toContain(`GET http://demo.proxy.test:${port}/ticker?interval=5&count=2`)

    const local = await collectStream({ url: `${demo.url}/ticker?interval=5&count=1`, reconnect: once })
    expect(local.events).toHaveLength(1)
    expect(ofKind(local.records, 'open')[0]!.proxy).toBeUndefined()
  } finally {
    if (saved === undefined) delete process.env.http_proxy
    else process.env.http_proxy = saved
  }
})

test('stream: a retry past the longest timer (2^31−1 ms) is waited for in turns of it, then the reconnect goes', async () => {
  const { nodeStreamDeps } = await import('../../../../main/net/node-stream-deps.ts')
  const { openStream } = await import('../../../../shared/sse/open-stream.ts')
  const { deps, close } = nodeStreamDeps()
  // Timers that go at once but say what they were asked for: 116 days pass in a moment.
  const asked: number[] = []
  const requests: number[] = []
  const stream = openStream(
    {
      url: `${demo.url}/ticker?count=1&interval=5&retry=5000000000`,
      reconnect: { isEnabled: true, maxAttempts: 1 },
    },
    {
      ...deps,
      setTimer: (callback, ms) => {
        asked.push(ms)
        const timer = setTimeout(callback, 0)
        return () => clearTimeout(timer)
      },
    },
    (batch) => {
      for (const record of batch) if (record.kind === 'request') requests.push(asked.length)
    },
  )
  await stream.done
  await close()
  const longest = 2 ** 31 - 1
  expect(asked).toEqual([longest, longest, 5000000000 - 2 * longest])
  expect(requests).toEqual([0, 3]) // the second request after the third turn, not at once
})

/** A server on 127.0.0.1 that answers its n-th request with `answers[n]` (the last one for the rest). */
async function withAnswers(
  answers: readonly RequestListener[],
  use: (url: string, requestTimesMs: number[]) => Promise<void>,
): Promise<void> {
  const requestTimesMs: number[] = []
  const server = createServer((request, response) => {
    requestTimesMs.push(performance.now())
    void answers[Math.min(requestTimesMs.length, answers.length) - 1]!(request, response)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, requestTimesMs)
  } finally {
    server.closeAllConnections()
    server.close()
  }
}

const refuse =
  (status: number, headers: Record<string, string> = {}): RequestListener =>
  (_request, response) =>
    response.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(`status ${status}\n`)
const streamOne: RequestListener = (request, response) =>
  response
    .writeHead(200, { 'content-type': 'text/event-stream' })
    .end(`id: 7\ndata: after ${request.headers['last-event-id'] ?? 'nothing'}\n\n`)

test('stream --retry-http-errors: a 503 is asked again after its Retry-After, then the stream comes', async () => {
  await withAnswers([refuse(503, { 'retry-after': '1' }), streamOne], async (url, requestTimesMs) => {
    const { records, events, outcome } = await collectStream({
      url,
      lastEventId: '6',
      reconnect: { isEnabled: true, maxAttempts: 1, initialRetryMs: 10, isRetryingHttpErrors: true },
    })
    expect(ofKind(records, 'close')[0]).toMatchObject({ cause: 'http-status', willReconnect: true })
    expect(ofKind(records, 'reconnect')).toMatchObject([{ delayMs: 1000, lastEventId: '6' }])
    expect(requestTimesMs[1]! - requestTimesMs[0]!).toBeGreaterThanOrEqual(990)
    expect(events.map((e) => e.data)).toEqual(['after 6']) // resumed as any reconnect is
    expect(outcome.cause).toBe('eof') // then the limit of one reconnect
  })
})

test('stream --retry-http-errors: a 429 without Retry-After waits the reconnection time; a 404 is not asked again', async () => {
  await withAnswers([refuse(429), refuse(429), refuse(404)], async (url, requestTimesMs) => {
    const { records, outcome } = await collectStream({
      url,
      reconnect: { isEnabled: true, initialRetryMs: 10, isRetryingHttpErrors: true },
    })
    expect(ofKind(records, 'reconnect').map((r) => r.delayMs)).toEqual([10, 10])
    expect(requestTimesMs).toHaveLength(3)
    expect(outcome).toMatchObject({
      cause: 'http-status',
      message: 'HTTP 404 Not Found: only 200 opens a stream',
    })
  })
  // Without the option, as EventSource: the first 503 ends it.
  await withAnswers([refuse(503, { 'retry-after': '1' }), streamOne], async (url, requestTimesMs) => {
    const { outcome } = await collectStream({ url, reconnect: { isEnabled: true, initialRetryMs: 10 } })
    expect(outcome.cause).toBe('http-status')
    expect(requestTimesMs).toHaveLength(1)
  })
})
