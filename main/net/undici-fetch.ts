import { createPrivateKey } from 'node:crypto'
import { maxHeaderSize } from 'node:http'
import { rootCertificates } from 'node:tls'
import { Agent, buildConnector, fetch, Pool, ProxyAgent, Socks5ProxyAgent, type Dispatcher } from 'undici'
import type {
  FetchLike,
  FetchResponse,
  RedirectHop,
  TransportError,
  TlsFacts,
} from '../../shared/sse/fetch-like.ts'
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_FIRST_BYTE_TIMEOUT_MS,
  type HeaderEntry,
  type TransportOptions,
} from '../../shared/sse/stream-request.ts'
import { withDefaultScheme } from '../../shared/sse/default-scheme.ts'
import { isCloseDelimited } from '../../shared/sse/close-delimited.ts'
import { isSocksProxy } from '../../shared/sse/proxy-url.ts'
import { resolveMap } from '../../shared/sse/resolve-entries.ts'
import { environmentProxyFor } from './environment-proxy.ts'
import { createOriginAliases } from './origin-aliases.ts'
import { connectionSetupOf, timeSocketSetup, type SetupTimes } from './connection-setup.ts'
import { tlsFactsOf } from './tls-facts.ts'
import { classifyError, type ErrorPhase } from './transport-errors.ts'
import { readPemFile } from '../runtime/read-file-capped.ts'

/** A FetchLike bound to one set of transport options (pools, proxy, TLS settings); close it when done. */
export type UndiciTransport = { fetch: FetchLike; close: () => Promise<void> }

/**
 * The largest response head read: a browser's (Chrome reads 256 KiB), not undici's 16 KiB, so a server
 * with a big cookie or policy header that EventSource reads is read here too.
 */
const MAX_RESPONSE_HEAD_BYTES = 256 * 1024

/**
 * The Node transport: undici's fetch with proxy (HTTP forward or CONNECT, or SOCKS5; the one given,
 * else the one `env` names for each URL), TLS options (CA, client certificate), HTTP/2 by ALPN and
 * timeouts, reaching any port with any Host header (origin-aliases.ts). Streams may be idle for
 * minutes, so the body idle timeout is off.
 */
export function createUndiciTransport(
  options: TransportOptions = {},
  env: Record<string, string | undefined> = process.env,
): UndiciTransport {
  const tlsOptions = tlsFromOptions(options)
  const addressByHostPort = resolveMap(options.resolve)
  /** --resolve: connect to the given address; the name stays the TLS server name (and the certificate's). */
  const resolved = (connectOptions: buildConnector.Options): buildConnector.Options => {
    const address = addressByHostPort.get(hostPort(connectOptions))
    return address === undefined
      ? connectOptions
      : {
          ...connectOptions,
          hostname: address,
          servername: connectOptions.servername || connectOptions.hostname,
        }
  }
  const headersTimeout = options.firstByteTimeoutMs ?? DEFAULT_FIRST_BYTE_TIMEOUT_MS
  const connectTimeout = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
  const classify = (
    thrown: unknown,
    phase: ErrorPhase = 'head',
    maxHeadBytes = MAX_RESPONSE_HEAD_BYTES,
    proxyUrl?: string,
  ) => classifyError(thrown, { connectTimeout, headersTimeout, maxHeadBytes }, phase, proxyUrl)
  // What each origin's latest connection negotiated and where it went: the final response's origin
  // (after redirects) names the one that carried it.
  const connectionByOrigin = new Map<string, ConnectionFacts>()
  // The HTTP/1 connection that read last: the one whose bytes held the head a fetch just resolved with
  // (undici parses a read's bytes and resolves the response before any other socket is read).
  let lastRead: ConnectionFacts | undefined
  const onRead = (facts: ConnectionFacts) => void (lastRead = facts)
  const aliases = createOriginAliases()
  const proxyAgent = (uri: string): Dispatcher =>
    new ProxyAgent({
      uri,
      proxyTunnel: options.isProxyTunnel ?? false,
      requestTls: tlsOptions,
      // An https:// proxy is trusted like the target: the extra CA and -k apply (a client
      // certificate does not: it is for the target).
      proxyTls: { ca: tlsOptions.ca, rejectUnauthorized: tlsOptions.rejectUnauthorized },
      bodyTimeout: 0,
      headersTimeout,
      connectTimeout,
      maxHeaderSize: MAX_RESPONSE_HEAD_BYTES,
      // Forward (non-tunnel) requests go through this pool to the proxy: keep streams alive there too.
      factory: (origin: string | URL, opts: object) =>
        new Pool(origin, { ...opts, bodyTimeout: 0, headersTimeout, maxHeaderSize: MAX_RESPONSE_HEAD_BYTES }),
    })
  const socksAgent = (uri: URL): Dispatcher => {
    const proxy = new URL(uri)
    proxy.protocol = 'socks5:' // undici resolves names at the proxy either way: socks5h semantics
    const agent = withoutExperimentalWarning(
      () =>
        new Socks5ProxyAgent(proxy, {
          connect: buildConnector({ timeout: connectTimeout }),
          requestTls: tlsOptions,
        } as Socks5ProxyAgent.Options),
    )
    // Its per-origin pools keep undici's default timeouts (a 300 s body timeout would cut a quiet
    // stream): each request carries ours.
    return agent.compose(
      (dispatch) => (dispatchOptions, handler) =>
        dispatch({ ...dispatchOptions, bodyTimeout: 0, headersTimeout }, handler),
    )
  }
  const directAgent = (): Dispatcher => {
    const baseConnect = buildConnector({
      ...tlsOptions,
      allowH2: options.isHttp2Allowed ?? true,
      timeout: connectTimeout,
    })
    return new Agent({
      allowH2: options.isHttp2Allowed ?? true,
      bodyTimeout: 0,
      headersTimeout,
      maxHeaderSize: MAX_RESPONSE_HEAD_BYTES,
      connect: (connectOptions, callback) =>
        timeSocketSetup((setup) =>
          baseConnect(resolved(connectOptions), (error, socket) => {
            if (socket)
              connectionByOrigin.set(originKey(connectOptions), describeConnection(socket, onRead, setup))
            if (error) callback(error, null)
            else callback(null, socket!)
          }),
        ),
    })
  }
  // One dispatcher per route: direct, or through a proxy (the one asked for, or the environment's for
  // this URL). Made when first needed; all closed together.
  const dispatchers = new Map<string, { base: Dispatcher; aliased: Dispatcher }>()
  const dispatcherFor = (proxyUrl: string | undefined): Dispatcher => {
    const key = proxyUrl ?? ''
    let entry = dispatchers.get(key)
    if (!entry) {
      const proxy = proxyUrl === undefined ? undefined : new URL(proxyUrl)
      const base = !proxy ? directAgent() : isSocksProxy(proxy) ? socksAgent(proxy) : proxyAgent(proxyUrl!)
      entry = { base, aliased: base.compose(aliases.interceptor) }
      dispatchers.set(key, entry)
    }
    return entry.aliased
  }

  const streamFetch: FetchLike = async (url, init) => {
    const proxyUrl =
      options.proxyUrl !== undefined
        ? withDefaultScheme(options.proxyUrl)
        : environmentProxyFor(url, env, options.noProxy)
    // Redirects are followed here, not by fetch, so that each hop is seen (a platform engineer wants the
    // chain; the cookie jar wants a hop's Set-Cookie), with fetch's rules for methods and credentials.
    const redirects: RedirectHop[] = []
    let request: PendingRequest = { url, method: init.method, headers: init.headers, body: init.body }
    let response: Response
    let headConnection: ConnectionFacts | undefined
    let requestStartedMs: number
    for (;;) {
      requestStartedMs = performance.now()
      try {
        const host = request.headers.find(([name]) => name.toLowerCase() === 'host')?.[1]
        response = (await fetch(aliases.toFetchUrl(request.url, host), {
          method: request.method,
          headers: request.headers.filter(([name]) => name.toLowerCase() !== 'host').map(([n, v]) => [n, v]),
          body: request.body,
          signal: init.signal,
          redirect: 'manual',
          dispatcher: dispatcherFor(proxyUrl),
        })) as unknown as Response
        headConnection = lastRead
      } catch (thrown) {
        // undici's SOCKS5 pools keep its own limit on the response head (Node's, 16 KiB).
        const isSocks = proxyUrl !== undefined && isSocksProxy(new URL(proxyUrl))
        const maxHeadBytes = isSocks ? maxHeaderSize : MAX_RESPONSE_HEAD_BYTES
        throw classify(thrown, 'head', maxHeadBytes, proxyUrl && withoutCredentials(proxyUrl))
      }
      const location = response.headers.get('location')
      if (!REDIRECT_STATUSES.has(response.status) || location === null) break
      response.body?.cancel().catch(() => {})
      if (redirects.length === MAX_REDIRECTS)
        throw classify(new TypeError('fetch failed', { cause: new Error('redirect count exceeded') }))
      redirects.push({
        status: response.status,
        statusText: response.statusText,
        url: request.url,
        location,
        headers: headerEntries(response.headers),
      })
      request = redirectedRequest(request, response.status, location)
      if (init.onRedirect) request = { ...request, headers: init.onRedirect(redirects.at(-1)!, request) }
    }
    const body = response.body
    const finalUrl = request.url
    const connection = proxyUrl ? undefined : connectionByOrigin.get(originKey(new URL(finalUrl)))
    const headers = headerEntries(response.headers)
    const httpVersion = connection?.alpn === 'h2' ? '2' : (connection?.httpVersion ?? '1.1')
    // undici ends a close-delimited body without an error on a reset too ("even if there is a full
    // body"): the connection that read the head hears it. Only an HTTP/1 connection made here is read
    // through the hook (not a proxy's).
    const isResetHeard = connection !== undefined && isCloseDelimited(httpVersion, headers)
    const wasReset = () => isResetHeard && headConnection?.isReset === true
    // The connection that carried the response: HTTP/1's read its head; HTTP/2 has one per origin.
    const carrier = httpVersion === '2' ? connection : (headConnection ?? connection)
    const setup = connection && carrier ? connectionSetupOf(carrier.setup, requestStartedMs) : undefined
    const result: FetchResponse = {
      status: response.status,
      statusText: response.statusText,
      headers,
      url: finalUrl,
      isRedirected: redirects.length > 0,
      ...(redirects.length > 0 ? { redirects } : {}),
      httpVersion,
      proxyUrl: proxyUrl ? withoutCredentials(proxyUrl) : undefined,
      remoteAddress: connection?.remoteAddress,
      ...(setup ? { connectionSetup: setup } : {}),
      ...(connection && carrier?.tls ? { tls: carrier.tls } : {}),
      body: body ? readChunks(body, classify, wasReset) : null,
      cancel: () => {
        body?.cancel().catch(() => {})
      },
    }
    return result
  }

  const close = async () => {
    await Promise.all([...dispatchers.values()].map(({ base }) => base.close().catch(() => {})))
  }
  return { fetch: streamFetch, close }
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
/** [fetch] "If request's redirect count is 20, then return a network error." */
const MAX_REDIRECTS = 20
/** Headers that describe a request body: dropped with the body when a redirect turns the method into GET. */
const BODY_HEADERS = new Set(['content-encoding', 'content-language', 'content-location', 'content-type'])
/** Credentials that must not follow a redirect to another origin. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie'])

type PendingRequest = { url: string; method: string; headers: readonly HeaderEntry[]; body?: string }

/** The request a redirect leads to, as the fetch standard's "HTTP-redirect fetch" makes it. */
function redirectedRequest(request: PendingRequest, status: number, location: string): PendingRequest {
  let next: URL
  try {
    next = new URL(location, request.url)
  } catch {
    throw networkError(`the server redirected (${status}) to an invalid Location: ${location}`)
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:')
    throw networkError(`the server redirected (${status}) to a ${next.protocol} URL: ${location}`)
  let { method, headers, body } = request
  // [fetch] 301/302 turn a POST into a GET, 303 anything but GET or HEAD; the body goes with it.
  if (
    ((status === 301 || status === 302) && method === 'POST') ||
    (status === 303 && method !== 'GET' && method !== 'HEAD')
  ) {
    method = 'GET'
    body = undefined
    headers = headers.filter(([name]) => !BODY_HEADERS.has(name.toLowerCase()))
  }
  // [fetch] Authorization does not follow a redirect to another origin (nor, as undici does, cookies).
  if (next.origin !== new URL(request.url).origin)
    headers = headers.filter(
      ([name]) => !CREDENTIAL_HEADERS.has(name.toLowerCase()) && name.toLowerCase() !== 'host',
    )
  return { url: next.href, method, headers, body }
}

/** [fetch] A bad redirect is a network error (EventSource reconnects after one). */
function networkError(message: string): TransportError {
  const error: TransportError = new Error(message)
  error.transportCode = 'network'
  return error
}

async function* readChunks(
  body: ReadableStream<Uint8Array>,
  classify: (thrown: unknown, phase: ErrorPhase) => TransportError,
  wasReset: () => boolean,
): AsyncIterable<Uint8Array> {
  try {
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) yield chunk
  } catch (thrown) {
    throw classify(thrown, 'body')
  }
  if (wasReset()) throw classify(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'body')
}

type TlsOptions = {
  rejectUnauthorized?: boolean
  ca?: string[]
  cert?: string
  key?: string
  passphrase?: string
}

function tlsFromOptions(options: TransportOptions): TlsOptions {
  const tls: TlsOptions = {}
  if (options.isInsecureTls) tls.rejectUnauthorized = false
  if (options.caFile) tls.ca = [...rootCertificates, readPem(options.caFile, 'CA file')]
  if (options.certFile) {
    tls.cert = readPem(options.certFile, 'client certificate')
    // One PEM file may hold both, as curl's --cert allows.
    tls.key = options.keyFile ? readPem(options.keyFile, 'client key') : tls.cert
    if (options.keyPassphrase !== undefined) tls.passphrase = options.keyPassphrase
    checkClientKey(tls.key, options.keyPassphrase)
  }
  return tls
}

type Target = { protocol: string; hostname: string; port: string | number | null }

/** "hostname:port", the port spelled out, for connect options and URLs alike. */
function hostPort(target: Target): string {
  return `${target.hostname.toLowerCase()}:${target.port || (target.protocol === 'https:' ? 443 : 80)}`
}

/** An origin as "protocol//hostname:port". */
function originKey(target: Target): string {
  return `${target.protocol}//${hostPort(target)}`
}

/**
 * What a connection negotiated (ALPN, TLS), where it went and when its set-up steps ended; httpVersion
 * is learnt from its first response, and isReset is set when the other side resets it.
 */
type ConnectionFacts = {
  alpn?: string
  remoteAddress?: string
  httpVersion?: string
  isReset?: boolean
  setup: SetupTimes
  tls?: TlsFacts
}

function describeConnection(
  socket: object,
  onRead: (facts: ConnectionFacts) => void,
  setup: SetupTimes,
): ConnectionFacts {
  const { alpnProtocol, remoteAddress, remotePort } = socket as {
    alpnProtocol?: string | false
    remoteAddress?: string
    remotePort?: number
  }
  const host = remoteAddress?.includes(':') ? `[${remoteAddress}]` : remoteAddress
  const facts: ConnectionFacts = {
    alpn: alpnProtocol || undefined,
    remoteAddress: host && remotePort ? `${host}:${remotePort}` : undefined,
    setup,
    tls: tlsFactsOf(socket),
  }
  if (facts.alpn !== 'h2')
    readStatusLineVersion(socket as { read?: (size?: number) => unknown }, facts, onRead)
  // Heard before undici hears it (it listens once the connection is handed over), so the flag is set
  // by the time undici ends a body on the reset.
  const emitter = socket as { on: (name: 'error', listener: (error: { code?: unknown }) => void) => void }
  emitter.on('error', (error) => {
    if (error.code === 'ECONNRESET') facts.isReset = true
  })
  return facts
}

const STATUS_LINE_VERSION = /^HTTP\/(\d\.\d) /

/**
 * undici does not tell a response's HTTP version; a server answering "HTTP/1.0" (Python's http.server
 * does by default) would be reported as 1.1. Its HTTP/1 client pulls the socket's bytes with read():
 * the first bytes read start the first response's status line. Only looked at, never changed; each
 * read is told to `onRead` (which connection carried the head of the response a fetch resolves with).
 */
function readStatusLineVersion(
  socket: { read?: (size?: number) => unknown },
  facts: ConnectionFacts,
  onRead: (facts: ConnectionFacts) => void,
): void {
  const read = socket.read
  if (typeof read !== 'function') return
  // Installed for the socket's life: put back mid-stream, the socket's shape would change under the
  // code that reads it (optimized for the first), and every later read would pay for it.
  let isSeen = false
  socket.read = function (this: unknown, size?: number) {
    const chunk = read.call(this, size)
    if (chunk !== null) onRead(facts)
    if (!isSeen && chunk instanceof Uint8Array && chunk.length > 0) {
      isSeen = true
      const head = new TextDecoder().decode(chunk.subarray(0, 9))
      facts.httpVersion = STATUS_LINE_VERSION.exec(head)?.[1]
    }
    return chunk
  }
}

/**
 * Opens the client key once up front: a missing or wrong passphrase, or a file without a key, is then
 * one clear error when the stream is set up, not a failed handshake on every reconnect.
 */
function checkClientKey(pem: string, passphrase: string | undefined): void {
  try {
    createPrivateKey({ key: pem, passphrase })
  } catch (error) {
    const isEncrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(pem)
    const reason = !isEncrypted
      ? `the client key file holds no private key it can read (${(error as Error).message})`
      : passphrase === undefined
        ? 'the client key is encrypted: give its passphrase (--pass)'
        : 'the client key cannot be decrypted with that passphrase'
    throw new Error(reason, { cause: error })
  }
}

/**
 * undici calls its SOCKS5 support experimental and says so on stderr once per process; here it is
 * tested against a real SOCKS5 proxy, and a warning would corrupt the CLI's output.
 */
function withoutExperimentalWarning<T>(make: () => T): T {
  const emitWarning = process.emitWarning
  process.emitWarning = () => {}
  try {
    return make()
  } finally {
    process.emitWarning = emitWarning
  }
}

function withoutCredentials(proxyUrl: string): string {
  try {
    const url = new URL(proxyUrl)
    url.username = ''
    url.password = ''
    return url.href.replace(/\/$/, '')
  } catch {
    return proxyUrl
  }
}

function readPem(file: string, what: string): string {
  try {
    return readPemFile(file)
  } catch (error) {
    throw new Error(`cannot read the ${what} ${file}: ${(error as Error).message}`, { cause: error })
  }
}

function headerEntries(headers: Headers): HeaderEntry[] {
  const entries: HeaderEntry[] = []
  for (const [name, value] of headers) {
    if (name === 'set-cookie') continue
    entries.push([name, value])
  }
  for (const cookie of headers.getSetCookie()) entries.push(['set-cookie', cookie])
  return entries
}
