import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { constants as zlibConstants, createGzip } from 'node:zlib'
import { aiSdkRoute } from './demo-ai-sdk-route.ts'
import { llmRoute } from './demo-llm-route.ts'
import { failingAlone } from './request-handler.ts'
import { MAX_TIMER_MS } from '../../shared/timer-limit.ts'

/**
 * The demo server: named endpoints that behave well and badly, on 127.0.0.1 only. Tests use it, the
 * CLI serves it (`sse-inspector demo`), and the app offers it as the built-in example target.
 */
export type DemoServer = { url: string; port: number; close: () => Promise<void> }

export type DemoRoute = {
  path: string
  description: string
  handle: (request: IncomingMessage, response: ServerResponse, query: URLSearchParams) => void
}

const FIREHOSE_MAX_EVENTS = 100_000_000
const HUGE_MAX_BYTES = 256 * 1024 * 1024

/** Opens an SSE response with the headers a well-behaved endpoint sends. */
export function startSse(response: ServerResponse, headers: Record<string, string> = {}): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
    ...headers,
  })
  response.flushHeaders()
}

/** Runs `tick` every `ms` until it returns false or the response closes (done, or the client left). */
function every(response: ServerResponse, ms: number, tick: () => boolean | void): void {
  const timer = setInterval(() => {
    if (tick() === false) clearInterval(timer)
  }, ms)
  // Not request 'close': that fires as soon as a request body has been read.
  response.on('close', () => clearInterval(timer))
}

/**
 * A positive integer from the query, else the fallback; clamped to [min, max]. Many are delays, and a
 * timer fires at once past MAX_TIMER_MS (?interval=9999999999 made the ticker a firehose): none goes past.
 */
function intParam(
  query: URLSearchParams,
  name: string,
  fallback: number,
  min = 0,
  max = MAX_TIMER_MS,
): number {
  const raw = query.get(name)
  const value = raw === null || raw === '' ? NaN : Number(raw)
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : fallback
}

/** The retry a ticker sends: ?retry= digits as given (of any length, to test clients with), else 2000. */
function retryParam(query: URLSearchParams): string {
  const raw = query.get('retry')
  return raw !== null && /^\d+$/.test(raw) ? raw : '2000'
}

/** The Last-Event-ID a client sent, decoded from UTF-8 (Node hands header bytes over as Latin-1). */
export function lastEventIdOf(request: IncomingMessage): string | undefined {
  const raw = request.headers['last-event-id']
  if (typeof raw !== 'string') return undefined
  return Buffer.from(raw, 'latin1').toString('utf8')
}

/** Where a resuming ticker starts: just after a numeric Last-Event-ID, else at 1. */
function resumeSeq(request: IncomingMessage): number {
  const id = Number(lastEventIdOf(request))
  return Number.isInteger(id) && id >= 0 ? id + 1 : 1
}

function tickFrame(seq: number, eol = '\n'): string {
  const data = JSON.stringify({ seq, sentAtMs: Date.now() })
  return `id: ${seq}${eol}event: tick${eol}data: ${data}${eol}${eol}`
}

/** Where a ticker's frames go: the response itself, or a wrapper (gzip, an application buffer). */
type FrameSink = { write: (frame: string) => void; end: () => void }

const responseSink = (response: ServerResponse): FrameSink => ({
  write: (frame) => void response.write(frame),
  end: () => void response.end(),
})

/** A ticker: `count` events per connection (unlimited by default), `interval` ms apart. */
function ticker(
  response: ServerResponse,
  query: URLSearchParams,
  firstSeq: number,
  sink: FrameSink = responseSink(response),
): void {
  const intervalMs = intParam(query, 'interval', 1000, 1)
  const count = intParam(query, 'count', Number.POSITIVE_INFINITY, 0)
  const heartbeatMs = intParam(query, 'heartbeat', 15_000, 0)
  const breakAfter = intParam(query, 'breakAfter', Number.POSITIVE_INFINITY, 1)
  sink.write(`retry: ${retryParam(query)}\n\n`)
  let seq = firstSeq
  let sent = 0
  if (count === 0) return sink.end()
  let isDone = false
  every(response, intervalMs, () => {
    if (isDone) return false
    sink.write(tickFrame(seq++))
    if (++sent >= count) {
      isDone = true
      sink.end()
      return false
    }
    if (sent >= breakAfter) {
      // The connection drops mid-body (what was written goes first, the body's end never comes).
      isDone = true
      response.socket?.end()
      return false
    }
  })
  if (heartbeatMs > 0)
    every(response, heartbeatMs, () => (isDone ? false : sink.write(`: heartbeat ${Date.now()}\n\n`)))
}

/** Writes `frames` one after another with `delayMs` between them, then ends. */
function script(
  request: IncomingMessage,
  response: ServerResponse,
  frames: readonly (string | Buffer)[],
  delayMs: number,
): void {
  let index = 0
  const next = () => {
    if (index >= frames.length) return void response.end()
    response.write(frames[index++]!)
    if (delayMs === 0) next()
    else timer = setTimeout(next, delayMs)
  }
  let timer: NodeJS.Timeout | undefined
  response.on('close', () => clearTimeout(timer))
  next()
}

/** The trickle script: events with CRLF endings and multi-byte UTF-8, cut inside both. */
export const TRICKLE_EVENTS = ['héllo wörld', '漢字 and emoji 😀', 'last one ✓']

function trickleSlices(): Buffer[] {
  const body = Buffer.from(
    TRICKLE_EVENTS.map((data, i) => `id: ${i + 1}\r\ndata: ${data}\r\n\r\n`).join(''),
    'utf8',
  )
  // Cut after every CR (splitting CRLF) and inside every multi-byte character.
  const cuts: number[] = []
  for (let i = 0; i < body.length; i++) {
    const byte = body[i]!
    if (byte === 13 || (byte >= 0xc0 && i + 1 < body.length)) cuts.push(i + 1)
  }
  const slices: Buffer[] = []
  let start = 0
  for (const cut of cuts) {
    slices.push(body.subarray(start, cut))
    start = cut
  }
  slices.push(body.subarray(start))
  return slices.filter((slice) => slice.length > 0)
}

function firehose(request: IncomingMessage, response: ServerResponse, query: URLSearchParams): void {
  const count = intParam(query, 'count', 1_000_000, 0, FIREHOSE_MAX_EVENTS)
  const ratePerSecond = intParam(query, 'rate', 0, 0)
  const sizeBytes = intParam(query, 'size', 100, 40, 1_000_000)
  // ?types=N: events of N types in turn (type-0, type-1, …), as a stream of many kinds sends them.
  const types = intParam(query, 'types', 0, 0, 1_000_000)
  startSse(response)
  let seq = resumeSeq(request) - 1
  const last = seq + count
  let isGone = false
  response.on('close', () => (isGone = true))
  const frame = (n: number): string => {
    const head = `${types > 0 ? `event: type-${n % types}\n` : ''}id: ${n}\ndata: {"seq":${n},"pad":"`
    const tail = '"}\n\n'
    return head + 'x'.repeat(Math.max(0, sizeBytes - head.length - tail.length)) + tail
  }
  if (ratePerSecond > 0) {
    const startedMs = Date.now()
    every(response, 10, () => {
      const due = Math.min(last, Math.floor(((Date.now() - startedMs) * ratePerSecond) / 1000))
      let batch = ''
      while (seq < due) batch += frame(++seq)
      if (batch) response.write(batch)
      if (seq >= last) {
        response.end()
        return false
      }
    })
    return
  }
  // As fast as the socket takes: write 64 KiB batches, wait for 'drain' when the kernel buffer is full.
  const pump = () => {
    while (!isGone && seq < last) {
      let batch = ''
      while (seq < last && batch.length < 65_536) batch += frame(++seq)
      if (!response.write(batch)) return void response.once('drain', pump)
    }
    if (!isGone) response.end()
  }
  pump()
}

/** The probe origin's stream: `id` = seq, data = {"seq","sentAtMs","pad"} padded to about `size` bytes. */
export function probe(request: IncomingMessage, response: ServerResponse, query: URLSearchParams): void {
  const intervalMs = intParam(query, 'interval', 100, 1)
  const sizeBytes = intParam(query, 'size', 100, 40, 1_000_000)
  const heartbeatMs = intParam(query, 'heartbeat', 15_000, 0)
  // An app that forgets no-transform (?cacheControl=no-cache): what does the proxy in front do then?
  const cacheControl = query.get('cacheControl')
  startSse(response, cacheControl === null ? {} : { 'cache-control': cacheControl })
  response.write(`retry: ${retryParam(query)}\n\n`)
  let seq = resumeSeq(request)
  every(response, intervalMs, () => {
    const head = `id: ${seq}\ndata: {"seq":${seq},"sentAtMs":${Date.now()},"pad":"`
    const tail = '"}\n\n'
    response.write(head + 'x'.repeat(Math.max(0, sizeBytes - head.length - tail.length)) + tail)
    seq++
  })
  if (heartbeatMs > 0)
    every(response, heartbeatMs, () => void response.write(`: heartbeat ${Date.now()}\n\n`))
}

function gzipTicker(request: IncomingMessage, response: ServerResponse, query: URLSearchParams): void {
  startSse(response, { 'content-encoding': 'gzip', vary: 'accept-encoding' })
  const gzip = createGzip()
  gzip.pipe(response)
  response.on('close', () => gzip.destroy())
  // Sync-flush after every frame: compressed, yet every event still leaves at once.
  const sink: FrameSink = {
    write: (frame) => {
      gzip.write(frame)
      gzip.flush(zlibConstants.Z_SYNC_FLUSH)
    },
    end: () => void gzip.end(),
  }
  ticker(response, query, resumeSeq(request), sink)
}

function bufferedTicker(request: IncomingMessage, response: ServerResponse, query: URLSearchParams): void {
  startSse(response)
  const flushMs = intParam(query, 'flush', 2000, 1)
  let pending = ''
  const flush = () => {
    if (pending) response.write(pending)
    pending = ''
  }
  // Events are made on time but held in an application buffer and written in bursts.
  every(response, flushMs, flush)
  const sink: FrameSink = {
    write: (frame) => void (pending += frame),
    end: () => {
      flush()
      response.end()
    },
  }
  ticker(response, query, resumeSeq(request), sink)
}

function echoRequest(request: IncomingMessage, response: ServerResponse): void {
  const parts: Buffer[] = []
  request.on('data', (part: Buffer) => parts.push(part))
  request.on('end', () => {
    startSse(response)
    const echo = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      lastEventId: lastEventIdOf(request) ?? null,
      body: Buffer.concat(parts).toString('utf8'),
    }
    response.end(`event: request\ndata: ${JSON.stringify(echo)}\n\n`)
  })
}

const routes: DemoRoute[] = [
  {
    path: '/ticker',
    description:
      'Well-behaved: ids, retry, heartbeats, resumes after Last-Event-ID. ?interval=ms&count=N&heartbeat=ms&retry=ms&cors=1 (&breakAfter=N: the connection drops after N events, mid-body)',
    handle: (req, res, q) => {
      const origin = req.headers.origin
      const cors: Record<string, string> =
        q.get('cors') === '1' && origin
          ? {
              'access-control-allow-origin': origin,
              'access-control-allow-credentials': 'true',
              vary: 'origin',
            }
          : {}
      startSse(res, cors)
      ticker(res, q, resumeSeq(req))
    },
  },
  {
    path: '/probe',
    description:
      'Probe origin: events carry their seq and send time, for measuring what a proxy adds. ?interval=ms&size=bytes&heartbeat=ms&cacheControl=value (instead of no-cache, no-transform)',
    handle: (req, res, q) => probe(req, res, q),
  },
  {
    path: '/content-length',
    description: 'A whole SSE body sent at once with a Content-Length: a buffered response, not a stream.',
    handle: (_req, res) => {
      const body = [1, 2, 3].map((n) => tickFrame(n)).join('')
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        'content-length': Buffer.byteLength(body),
      })
      res.end(body)
    },
  },
  {
    path: '/wrong-content-type',
    description: 'Sends SSE framing as text/plain; EventSource refuses it.',
    handle: (req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache' })
      script(req, res, [tickFrame(1), tickFrame(2)], 0)
    },
  },
  {
    path: '/no-resume',
    description: 'Ignores Last-Event-ID: every connection restarts at id 1. ?interval=ms&count=N',
    handle: (req, res, q) => {
      startSse(res)
      ticker(res, q, 1)
    },
  },
  {
    path: '/duplicate-resume',
    description: 'On resume, sends the Last-Event-ID event again before continuing. ?interval=ms&count=N',
    handle: (req, res, q) => {
      startSse(res)
      ticker(res, q, Math.max(1, resumeSeq(req) - 1))
    },
  },
  {
    path: '/buffered',
    description:
      'Application-level buffering: events made on time, written in bursts. ?interval=ms&flush=ms&count=N',
    handle: bufferedTicker,
  },
  {
    path: '/gzip',
    description: 'Content-Encoding: gzip, flushed per event. ?interval=ms&count=N',
    handle: gzipTicker,
  },
  {
    path: '/crlf',
    description: 'CRLF line endings.',
    handle: (req, res) => {
      startSse(res)
      script(
        req,
        res,
        [1, 2, 3].map((n) => tickFrame(n, '\r\n')),
        10,
      )
    },
  },
  {
    path: '/cr',
    description: 'Bare CR line endings (legal, but some clients split only on LF).',
    handle: (req, res) => {
      startSse(res)
      script(
        req,
        res,
        [1, 2, 3].map((n) => tickFrame(n, '\r')),
        10,
      )
    },
  },
  {
    path: '/bom',
    description: 'Starts with a UTF-8 byte order mark.',
    handle: (req, res) => {
      startSse(res)
      script(req, res, ['\uFEFF' + tickFrame(1), tickFrame(2)], 10)
    },
  },
  {
    path: '/invalid-retry',
    description: 'Sends retry values that are not plain digits.',
    handle: (req, res) => {
      startSse(res)
      script(req, res, ['retry: soon\n\n', 'retry: 1.5\n\n', tickFrame(1)], 10)
    },
  },
  {
    path: '/unknown-field',
    description: 'Sends a field the spec does not know.',
    handle: (req, res) => {
      startSse(res)
      script(req, res, ['foo: bar\ndata: after an unknown field\n\n'], 0)
    },
  },
  {
    path: '/nul-id',
    description: 'Sends an id containing U+0000 NULL (the spec ignores the field).',
    handle: (req, res) => {
      startSse(res)
      script(req, res, ['id: 1\ndata: first\n\n', 'id: 2\0x\ndata: second\n\n'], 0)
    },
  },
  {
    path: '/incomplete',
    description: 'Ends inside an event, without the final blank line (the spec discards it).',
    handle: (req, res) => {
      startSse(res)
      script(req, res, ['data: complete\n\n', 'data: never dispatched\n'], 10)
    },
  },
  {
    path: '/trickle',
    description: 'Events cut at awkward places (inside CRLF, inside multi-byte UTF-8). ?interval=ms',
    handle: (req, res, q) => {
      startSse(res)
      script(req, res, trickleSlices(), intParam(q, 'interval', 5, 0))
    },
  },
  {
    path: '/firehose',
    description:
      'As fast as the socket takes (or ?rate=events/s). ?count=N&size=bytes&types=N (event types in turn)',
    handle: firehose,
  },
  {
    path: '/stall',
    description: 'One event, then silence (no heartbeats) until the client leaves. ?after=ms closes then.',
    handle: (req, res, q) => {
      startSse(res)
      res.write(tickFrame(1))
      const afterMs = intParam(q, 'after', 0, 0)
      if (afterMs > 0) {
        const timer = setTimeout(() => res.end(), afterMs)
        res.on('close', () => clearTimeout(timer))
      }
    },
  },
  {
    path: '/no-response',
    description:
      'Reads the request and never answers, not even with headers (a hung backend, a proxy holding the response): first-byte timeouts.',
    handle: (req) => {
      req.resume() // read the body, if any, and leave the response open until the client gives up
    },
  },
  {
    path: '/huge',
    description: 'One event whose data is ?bytes=N long (size-limit tests).',
    handle: (req, res, q) => {
      startSse(res)
      const total = intParam(q, 'bytes', 1024 * 1024, 1, HUGE_MAX_BYTES)
      const piece = 'x'.repeat(65_536)
      const frames: string[] = ['data: ']
      for (let left = total; left > 0; left -= piece.length)
        frames.push(left >= piece.length ? piece : piece.slice(0, left))
      frames.push('\n\n')
      script(req, res, frames, 0)
    },
  },
  {
    path: '/echo-headers',
    description: 'One event "request" echoing method, headers (with Last-Event-ID decoded) and body.',
    handle: echoRequest,
  },
  {
    path: '/redirect',
    description:
      'Redirects to ?to=path (default /ticker?count=3&interval=10) with ?status=301|302|303|307|308 (default 307); ?setCookie=name=value sets a cookie on the redirect.',
    handle: (_req, res, q) => {
      const target = q.get('to') ?? '/ticker?count=3&interval=10'
      const status = Number(q.get('status'))
      const cookie = q.get('setCookie')
      res.writeHead([301, 302, 303, 307, 308].includes(status) ? status : 307, {
        location: target.startsWith('/') ? target : '/ticker', // a path only: never an open redirect
        ...(cookie ? { 'set-cookie': `${cookie}; Path=/` } : {}),
      })
      res.end()
    },
  },
  {
    path: '/sticky',
    description:
      'Behind a load balancer with an affinity cookie: the first response sets one, and only the backend it names knows the stream, so a resume without it restarts at id 1. ?interval=ms&count=N (default 1: a reconnect after each event)',
    handle: (req, res, q) => {
      const hasAffinity = /(?:^|;\s*)backend=b1(?:;|$)/.test(req.headers.cookie ?? '')
      startSse(res, hasAffinity ? {} : { 'set-cookie': 'backend=b1; Path=/; HttpOnly' })
      const query = new URLSearchParams({ count: '1', interval: '10', retry: '50', ...Object.fromEntries(q) })
      ticker(res, query, hasAffinity ? resumeSeq(req) : 1)
    },
  },
  {
    path: '/redirect-loop',
    description: 'Redirects to itself forever (an http↔https or login redirect gone wrong).',
    handle: (_req, res, q) => {
      res.writeHead(302, { location: `/redirect-loop?hop=${Number(q.get('hop') ?? 0) + 1}` })
      res.end()
    },
  },
  llmRoute,
  aiSdkRoute,
]

function statusRoute(response: ServerResponse, code: number, retryAfter: string | null): void {
  if (code === 204) {
    response.writeHead(204)
    response.end()
    return
  }
  response.writeHead(code, {
    'content-type': 'text/plain; charset=utf-8',
    ...(retryAfter && /^\d{1,9}$/.test(retryAfter) ? { 'retry-after': retryAfter } : {}),
  })
  response.end(`demo status ${code}\n`)
}

/** The demo routes, for listings (the CLI, the app's examples). */
export function demoRoutes(): readonly { path: string; description: string }[] {
  return [
    ...routes.map(({ path, description }) => ({ path, description })),
    { path: '/status/204', description: 'HTTP 204: tells EventSource to stop reconnecting.' },
    {
      path: '/status/500',
      description: 'HTTP 500 (any /status/CODE works; ?retryAfter=S adds Retry-After, as a 429 or 503 may).',
    },
  ]
}

function handle(request: IncomingMessage, response: ServerResponse, url: URL): void {
  if (url.pathname === '/') {
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end(JSON.stringify({ name: 'SSE Inspector demo server', routes: demoRoutes() }, null, 2))
    return
  }
  const status = /^\/status\/(\d{3})$/.exec(url.pathname)
  if (status) return statusRoute(response, Number(status[1]), url.searchParams.get('retryAfter'))
  const route = routes.find((r) => r.path === url.pathname)
  if (!route) {
    response.writeHead(404, { 'content-type': 'text/plain' })
    response.end('no such demo route; GET / lists them\n')
    return
  }
  route.handle(request, response, url.searchParams)
}

/** Starts the demo server on 127.0.0.1 (port 0 picks a free port). */
export async function startDemoServer(options: { port?: number } = {}): Promise<DemoServer> {
  const server: Server = createServer(failingAlone(handle))
  server.keepAliveTimeout = 5000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
