import { parseCurl } from '../../shared/curl/curl-command.ts'
import { withDefaultScheme } from '../../shared/sse/default-scheme.ts'
import { parseProxyUrl } from '../../shared/sse/proxy-url.ts'
import { basicAuthorization, hasHeader, isSendableHeaderValue } from '../../shared/sse/request-headers.ts'
import { parseResolveEntry } from '../../shared/sse/resolve-entries.ts'
import type { HeaderEntry, StreamRequest } from '../../shared/sse/stream-request.ts'
import type { OptionValues } from './command-args.ts'
import { UsageError } from './usage-error.ts'
import { isReconnectedByDefault } from '../../shared/sse/reconnect-default.ts'
import { MAX_TIMER_SECONDS } from '../../shared/timer-limit.ts'
import { readFileCapped, readPemFile } from '../runtime/read-file-capped.ts'

/** The largest request body --data-file reads. */
const MAX_BODY_FILE_BYTES = 64 * 1024 * 1024

/** The request options `watch`, `check` and `record` share (node:util parseArgs definitions). */
export const REQUEST_OPTIONS = {
  curl: { type: 'string' },
  request: { type: 'string', short: 'X' },
  header: { type: 'string', short: 'H', multiple: true },
  user: { type: 'string', short: 'u' },
  data: { type: 'string', short: 'd' },
  'data-file': { type: 'string' },
  'last-event-id': { type: 'string' },
  proxy: { type: 'string' },
  'proxy-tunnel': { type: 'boolean' },
  noproxy: { type: 'string' },
  resolve: { type: 'string', multiple: true },
  insecure: { type: 'boolean', short: 'k' },
  cacert: { type: 'string' },
  cert: { type: 'string', short: 'E' },
  key: { type: 'string' },
  pass: { type: 'string' },
  'no-http2': { type: 'boolean' },
  'connect-timeout': { type: 'string' },
  'first-byte-timeout': { type: 'string' },
  'no-reconnect': { type: 'boolean' },
  reconnect: { type: 'boolean' },
  'keep-cookies': { type: 'boolean' },
  'retry-http-errors': { type: 'boolean' },
  'max-reconnects': { type: 'string' },
  'retry-ms': { type: 'string' },
  backoff: { type: 'string' },
  'max-event-bytes': { type: 'string' },
} as const

export type RequestValues = OptionValues<typeof REQUEST_OPTIONS>

export const REQUEST_USAGE = `Request:
      --curl COMMAND         the request from a curl command line (as a browser's "Copy as
                             cURL" writes it), in quotes; the options below add to it
                             (headers) or override it (the rest)
  -X, --request METHOD       HTTP method (default GET; POST when a body is given)
  -H, --header "Name: value" add a header (repeatable)
  -u, --user USER:PASS       Basic auth, as curl -u (an Authorization header given wins)
  -d, --data BODY            request body
      --data-file FILE       request body from a file
      --last-event-id ID     Last-Event-ID for the first request
      --keep-cookies         send the cookies responses set on the reconnects (and check's
                             probes), as a browser does: a load balancer's affinity cookie
Network:
      --proxy URL            proxy: http://[user:pass@]host:port, https://…, or SOCKS5:
                             socks5://[user:pass@]host:port (names resolved by the proxy)
      --proxy-tunnel         CONNECT through the proxy for http:// targets too
      --noproxy HOSTS        hosts that skip the environment's proxy (as no_proxy; "*": all)
      --resolve H:P:ADDR     connect to ADDR for host H port P, keeping H for Host and TLS
                             (repeatable; direct connections)
  -k, --insecure             accept any TLS certificate
      --cacert FILE          extra trusted CA certificates (PEM)
  -E, --cert FILE            client certificate for mutual TLS (PEM; may hold the key too)
      --key FILE             the client certificate's private key (PEM)
      --pass PHRASE          passphrase of an encrypted private key
      --no-http2             do not offer HTTP/2
      --connect-timeout S    give up connecting after S seconds (default 10; 0: no limit)
      --first-byte-timeout S give up waiting for the response headers after S seconds
                             (default 300; 0: no limit)`

export function positiveNumber(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined
  const value = Number(raw)
  if (!Number.isFinite(value) || value < 0)
    throw new UsageError(`${flag} needs a non-negative number, got ${JSON.stringify(raw)}`)
  return value
}

/** A duration in seconds (--max-time, --connect-timeout…): non-negative, and no longer than a timer takes. */
export function secondsOption(raw: string | undefined, flag: string): number | undefined {
  const value = positiveNumber(raw, flag)
  if (value !== undefined && value > MAX_TIMER_SECONDS)
    throw new UsageError(`${flag} takes at most ${MAX_TIMER_SECONDS} s (24 days), got ${raw}`)
  return value
}

/** A count such as --max-events: a whole number, at least 1. */
export function countOption(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined
  if (!/^[1-9]\d*$/.test(raw))
    throw new UsageError(`${flag} needs a whole number of at least 1, got ${JSON.stringify(raw)}`)
  return Number(raw)
}

/** The request a curl command line describes ("curl" itself may be left out); bad ones are bad usage. */
function requestFromCurl(command: string): StreamRequest {
  const trimmed = command.trim()
  try {
    return parseCurl(/^curl(\.exe)?(\s|$)/.test(trimmed) ? trimmed : `curl ${trimmed}`)
  } catch (error) {
    throw new UsageError(`--curl: ${(error as Error).message}`)
  }
}

function parseHeader(raw: string): HeaderEntry {
  const colon = raw.indexOf(':')
  const name = colon === -1 ? '' : raw.slice(0, colon).trim()
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    throw new UsageError(`header must look like "Name: value", got ${JSON.stringify(raw)}`)
  }
  return [name, raw.slice(colon + 1).trim()]
}

function parseUrl(raw: string | undefined, command: string): string {
  if (raw === undefined) {
    throw new UsageError(`${command} needs a URL, e.g. sse-inspector ${command} http://127.0.0.1:8787/ticker`)
  }
  let url: URL
  try {
    url = new URL(withDefaultScheme(raw))
  } catch {
    throw new UsageError(`not a valid URL: ${JSON.stringify(raw)}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`only http:// and https:// URLs are supported, got ${url.protocol}`)
  }
  return url.href
}

/** The StreamRequest the shared request options describe; throws UsageError on bad input. */
/** The headers with -u's Basic auth added, unless they carry an Authorization of their own (as curl). */
function withLogin(headers: HeaderEntry[], login: string | undefined): HeaderEntry[] {
  if (login === undefined || hasHeader(headers, 'authorization')) return headers
  if (!login.includes(':')) throw new UsageError('-u needs USER:PASS (curl would ask for the password)')
  return [...headers, ['Authorization', basicAuthorization(login)]]
}

export function requestFromValues(
  values: RequestValues,
  positionals: string[],
  command: string,
): StreamRequest {
  const curl = values.curl === undefined ? undefined : requestFromCurl(values.curl)
  if (curl && positionals.length > 0)
    throw new UsageError(`give the URL in --curl or as an argument, not both (got ${positionals[0]})`)
  if (positionals.length > 1)
    throw new UsageError(`${command} takes one URL, got ${positionals.length} arguments`)
  const url = parseUrl(curl?.url ?? positionals[0], command)
  const fromCurl = curl?.transport ?? {}
  if (values.data !== undefined && values['data-file'] !== undefined)
    throw new UsageError('use --data or --data-file, not both')
  let cliBody = values.data
  if (values['data-file'] !== undefined) {
    try {
      cliBody = readFileCapped(values['data-file'], MAX_BODY_FILE_BYTES).toString('utf8')
    } catch (error) {
      throw new UsageError(`cannot read --data-file: ${(error as Error).message}`)
    }
  }
  const body = cliBody ?? curl?.body
  const files = {
    cacert: values.cacert ?? fromCurl.caFile,
    cert: values.cert ?? fromCurl.certFile,
    key: values.key ?? fromCurl.keyFile,
  }
  for (const [flag, file] of Object.entries(files)) {
    if (file === undefined) continue
    try {
      readPemFile(file)
    } catch (error) {
      throw new UsageError(`cannot read --${flag}: ${(error as Error).message}`)
    }
  }
  const passphrase = values.pass ?? fromCurl.keyPassphrase
  if (files.key !== undefined && files.cert === undefined) throw new UsageError('--key needs --cert')
  if (passphrase !== undefined && files.cert === undefined) throw new UsageError('--pass needs --cert')
  for (const entry of values.resolve ?? []) {
    try {
      parseResolveEntry(entry)
    } catch (error) {
      throw new UsageError((error as Error).message)
    }
  }
  const proxyUrl = values.proxy ?? fromCurl.proxyUrl
  if (proxyUrl !== undefined && (values.resolve?.length || fromCurl.resolve?.length))
    throw new UsageError('--resolve works on direct connections; through --proxy the proxy resolves names')
  if (proxyUrl !== undefined) {
    try {
      parseProxyUrl(proxyUrl)
    } catch (error) {
      throw new UsageError(`--proxy: ${(error as Error).message}`)
    }
  }
  // A body given here makes a POST of a curl GET, as it would have in the curl command.
  const defaultMethod =
    cliBody !== undefined ? 'POST' : (curl?.method ?? (body !== undefined ? 'POST' : 'GET'))
  const method = (values.request ?? defaultMethod).toUpperCase()
  if (!/^[A-Z]+$/.test(method)) throw new UsageError(`not an HTTP method: ${JSON.stringify(values.request)}`)
  if (body !== undefined && (method === 'GET' || method === 'HEAD'))
    throw new UsageError(
      `a ${method} request cannot carry a body (--data): leave out -X ${method}, or use -X POST`,
    )
  if (values['no-reconnect'] && values['max-reconnects'] !== undefined) {
    throw new UsageError('use --no-reconnect or --max-reconnects, not both')
  }
  if (values['no-reconnect'] && values.reconnect)
    throw new UsageError('use --no-reconnect or --reconnect, not both')
  const maxReconnects = positiveNumber(values['max-reconnects'], '--max-reconnects')
  const backoffMaxMs = positiveNumber(values.backoff, '--backoff')
  const connectTimeoutS = secondsOption(values['connect-timeout'], '--connect-timeout')
  const firstByteTimeoutS = secondsOption(values['first-byte-timeout'], '--first-byte-timeout')
  const maxEventBytes = positiveNumber(values['max-event-bytes'], '--max-event-bytes')
  const retryMs = positiveNumber(values['retry-ms'], '--retry-ms')
  const resolve = [...(fromCurl.resolve ?? []), ...(values.resolve ?? [])]
  const headers = withLogin(
    [...(curl?.headers ?? []), ...(values.header ?? []).map(parseHeader)],
    values.user,
  )
  for (const [name, value] of headers)
    if (!isSendableHeaderValue(value))
      throw new UsageError(`header ${name}: its value holds a line break or NUL, which a header cannot carry`)
  const lastEventId = values['last-event-id'] ?? curl?.lastEventId
  if (lastEventId !== undefined && !isSendableHeaderValue(lastEventId))
    throw new UsageError(
      '--last-event-id holds a line break or NUL: an event id never does, and a header cannot carry one',
    )
  return {
    url,
    method,
    headers,
    body,
    lastEventId,
    maxEventBytes: maxEventBytes === undefined ? undefined : Math.max(1, Math.floor(maxEventBytes)),
    reconnect: {
      // A limit given is a reconnect asked for, whatever the method.
      isEnabled:
        !values['no-reconnect'] &&
        (values.reconnect === true ||
          values['max-reconnects'] !== undefined ||
          isReconnectedByDefault(method)),
      maxAttempts: maxReconnects === undefined ? undefined : Math.floor(maxReconnects),
      initialRetryMs: retryMs,
      backoff: backoffMaxMs === undefined ? undefined : { maxMs: backoffMaxMs, hasJitter: true },
      isKeepingCookies: values['keep-cookies'] || curl?.reconnect?.isKeepingCookies || undefined,
      isRetryingHttpErrors: values['retry-http-errors'] || undefined,
    },
    transport: {
      proxyUrl,
      isProxyTunnel: values['proxy-tunnel'] || fromCurl.isProxyTunnel || undefined,
      noProxy: values.noproxy ?? fromCurl.noProxy,
      resolve: resolve.length > 0 ? resolve : undefined,
      isInsecureTls: values.insecure ?? fromCurl.isInsecureTls,
      caFile: files.cacert,
      certFile: files.cert,
      keyFile: files.key,
      keyPassphrase: passphrase,
      isHttp2Allowed: !values['no-http2'] && fromCurl.isHttp2Allowed !== false,
      connectTimeoutMs: connectTimeoutS === undefined ? fromCurl.connectTimeoutMs : connectTimeoutS * 1000,
      firstByteTimeoutMs: firstByteTimeoutS === undefined ? undefined : firstByteTimeoutS * 1000,
    },
  }
}
