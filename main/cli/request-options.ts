import { readFileSync } from 'node:fs'
import { parseResolveEntry } from '../../shared/sse/resolve-entries.ts'
import type { HeaderEntry, StreamRequest } from '../../shared/sse/stream-request.ts'
import { UsageError } from './usage-error.ts'

/** The request options `watch`, `check` and `record` share (node:util parseArgs definitions). */
export const REQUEST_OPTIONS = {
  request: { type: 'string', short: 'X' },
  header: { type: 'string', short: 'H', multiple: true },
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
  'max-reconnects': { type: 'string' },
  'retry-ms': { type: 'string' },
  backoff: { type: 'string' },
  'max-event-bytes': { type: 'string' },
} as const

export type RequestValues = {
  [K in keyof typeof REQUEST_OPTIONS]?: (typeof REQUEST_OPTIONS)[K] extends { multiple: true }
    ? string[]
    : (typeof REQUEST_OPTIONS)[K] extends { type: 'boolean' }
      ? boolean
      : string
}

export const REQUEST_USAGE = `Request:
  -X, --request METHOD       HTTP method (default GET; POST when a body is given)
  -H, --header "Name: value" add a header (repeatable)
  -d, --data BODY            request body
      --data-file FILE       request body from a file
      --last-event-id ID     Last-Event-ID for the first request
Network:
      --proxy URL            HTTP proxy (http://[user:pass@]host:port)
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

/** A count such as --max-events: a whole number, at least 1. */
export function countOption(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined
  if (!/^[1-9]\d*$/.test(raw))
    throw new UsageError(`${flag} needs a whole number of at least 1, got ${JSON.stringify(raw)}`)
  return Number(raw)
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
    url = new URL(raw)
  } catch {
    throw new UsageError(`not a valid URL: ${JSON.stringify(raw)}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`only http:// and https:// URLs are supported, got ${url.protocol}`)
  }
  return url.href
}

/** The StreamRequest the shared request options describe; throws UsageError on bad input. */
export function requestFromValues(
  values: RequestValues,
  positionals: string[],
  command: string,
): StreamRequest {
  if (positionals.length > 1)
    throw new UsageError(`${command} takes one URL, got ${positionals.length} arguments`)
  const url = parseUrl(positionals[0], command)
  if (values.data !== undefined && values['data-file'] !== undefined)
    throw new UsageError('use --data or --data-file, not both')
  let body = values.data
  if (values['data-file'] !== undefined) {
    try {
      body = readFileSync(values['data-file'], 'utf8')
    } catch (error) {
      throw new UsageError(`cannot read --data-file: ${(error as Error).message}`)
    }
  }
  for (const flag of ['cacert', 'cert', 'key'] as const) {
    const file = values[flag]
    if (file === undefined) continue
    try {
      readFileSync(file)
    } catch (error) {
      throw new UsageError(`cannot read --${flag}: ${(error as Error).message}`)
    }
  }
  if (values.key !== undefined && values.cert === undefined) throw new UsageError('--key needs --cert')
  if (values.pass !== undefined && values.cert === undefined) throw new UsageError('--pass needs --cert')
  for (const entry of values.resolve ?? []) {
    try {
      parseResolveEntry(entry)
    } catch (error) {
      throw new UsageError((error as Error).message)
    }
  }
  if (values.proxy !== undefined) {
    try {
      if (!/^https?:$/.test(new URL(values.proxy).protocol)) throw new Error('scheme')
    } catch {
      throw new UsageError(`--proxy needs an http:// URL, got ${JSON.stringify(values.proxy)}`)
    }
  }
  const method = (values.request ?? (body !== undefined ? 'POST' : 'GET')).toUpperCase()
  if (!/^[A-Z]+$/.test(method)) throw new UsageError(`not an HTTP method: ${JSON.stringify(values.request)}`)
  if (values['no-reconnect'] && values['max-reconnects'] !== undefined) {
    throw new UsageError('use --no-reconnect or --max-reconnects, not both')
  }
  const maxReconnects = positiveNumber(values['max-reconnects'], '--max-reconnects')
  const backoffMaxMs = positiveNumber(values.backoff, '--backoff')
  const connectTimeoutS = positiveNumber(values['connect-timeout'], '--connect-timeout')
  const firstByteTimeoutS = positiveNumber(values['first-byte-timeout'], '--first-byte-timeout')
  const maxEventBytes = positiveNumber(values['max-event-bytes'], '--max-event-bytes')
  const retryMs = positiveNumber(values['retry-ms'], '--retry-ms')
  return {
    url,
    method,
    headers: (values.header ?? []).map(parseHeader),
    body,
    lastEventId: values['last-event-id'],
    maxEventBytes: maxEventBytes === undefined ? undefined : Math.max(1, Math.floor(maxEventBytes)),
    reconnect: {
      isEnabled: !values['no-reconnect'],
      maxAttempts: maxReconnects === undefined ? undefined : Math.floor(maxReconnects),
      initialRetryMs: retryMs,
      backoff: backoffMaxMs === undefined ? undefined : { maxMs: backoffMaxMs, hasJitter: true },
    },
    transport: {
      proxyUrl: values.proxy,
      isProxyTunnel: values['proxy-tunnel'],
      noProxy: values.noproxy,
      resolve: values.resolve,
      isInsecureTls: values.insecure,
      caFile: values.cacert,
      certFile: values.cert,
      keyFile: values.key,
      keyPassphrase: values.pass,
      isHttp2Allowed: !values['no-http2'],
      connectTimeoutMs: connectTimeoutS === undefined ? undefined : connectTimeoutS * 1000,
      firstByteTimeoutMs: firstByteTimeoutS === undefined ? undefined : firstByteTimeoutS * 1000,
    },
  }
}
