import { withDefaultScheme } from '../../../shared/sse/default-scheme.ts'
import { basicAuthorization } from '../../../shared/sse/request-headers.ts'
import type { HeaderEntry, StreamRequest } from '../../../shared/sse/stream-request.ts'

/** A header row in the editor: can be switched off without deleting it. */
export type HeaderRow = { id: number; isEnabled: boolean; name: string; value: string }

/** What the request editor holds; becomes a StreamRequest on Connect. */
export type RequestDraft = {
  url: string
  method: string
  headers: HeaderRow[]
  body: string
  bearerToken: string
  basicUser: string
  basicPassword: string
  lastEventId: string
  isReconnectEnabled: boolean
  /** Text as typed; empty means unlimited. */
  maxReconnects: string
  /** Send the cookies responses set on the reconnects, as a browser does. */
  isKeepingCookies: boolean
  proxyUrl: string
  /** Hosts that skip the environment's proxy (no_proxy syntax; "*": all). */
  noProxy: string
  /** curl --resolve entries (HOST:PORT:ADDRESS), separated by commas or spaces. */
  resolve: string
  isInsecureTls: boolean
  /** Offer HTTP/2 on https:// (curl --http1.1 turns it off). */
  isHttp2Allowed: boolean
  caFile: string
  certFile: string
  keyFile: string
  keyPassphrase: string
  /** Seconds as typed; empty means the default (10 s to connect, 300 s to the response headers). */
  connectTimeout: string
  firstByteTimeout: string
  /** MiB as typed; empty means the default (16): a larger line or event fails the connection. */
  maxEventMiB: string
  /** Record this connection into the library (on by default). */
  isRecording: boolean
}

export const EMPTY_DRAFT: RequestDraft = {
  url: '',
  method: 'GET',
  headers: [],
  body: '',
  bearerToken: '',
  basicUser: '',
  basicPassword: '',
  lastEventId: '',
  isReconnectEnabled: true,
  maxReconnects: '',
  isKeepingCookies: false,
  proxyUrl: '',
  noProxy: '',
  resolve: '',
  isInsecureTls: false,
  isHttp2Allowed: true,
  caFile: '',
  certFile: '',
  keyFile: '',
  keyPassphrase: '',
  connectTimeout: '',
  firstByteTimeout: '',
  maxEventMiB: '',
  isRecording: true,
}

let nextRowId = 1
export function headerRow(name = '', value = ''): HeaderRow {
  return { id: nextRowId++, isEnabled: true, name, value }
}

/** Typed seconds as milliseconds; undefined when empty or not a non-negative number. */
const MiB = 1024 * 1024

function mibToBytes(typed: string): number | undefined {
  const mib = Number(typed)
  return typed.trim() === '' || !Number.isFinite(mib) || mib <= 0 ? undefined : Math.round(mib * MiB)
}

function secondsToMs(typed: string): number | undefined {
  const seconds = Number(typed)
  return typed.trim() === '' || !Number.isFinite(seconds) || seconds < 0 ? undefined : seconds * 1000
}

/** The request a draft describes. */
export function toStreamRequest(draft: RequestDraft): StreamRequest {
  const headers: HeaderEntry[] = draft.headers
    .filter((row) => row.isEnabled && row.name.trim() !== '')
    .map((row) => [row.name.trim(), row.value] as const)
  const hasAuthorization = headers.some(([name]) => name.toLowerCase() === 'authorization')
  if (!hasAuthorization && draft.bearerToken.trim()) {
    headers.push(['Authorization', `Bearer ${draft.bearerToken.trim()}`])
  } else if (!hasAuthorization && draft.basicUser) {
    headers.push(['Authorization', basicAuthorization(`${draft.basicUser}:${draft.basicPassword}`)])
  }
  const hasBody = draft.method !== 'GET' && draft.method !== 'HEAD' && draft.body !== ''
  const maxReconnects = Number(draft.maxReconnects)
  const hasLimit = draft.maxReconnects.trim() !== '' && Number.isInteger(maxReconnects) && maxReconnects >= 0
  return {
    url: withDefaultScheme(draft.url),
    method: draft.method,
    headers,
    body: hasBody ? draft.body : undefined,
    lastEventId: draft.lastEventId || undefined,
    maxEventBytes: mibToBytes(draft.maxEventMiB),
    reconnect: {
      isEnabled: draft.isReconnectEnabled,
      maxAttempts: hasLimit ? maxReconnects : undefined,
      isKeepingCookies: draft.isKeepingCookies || undefined,
    },
    transport: {
      proxyUrl: draft.proxyUrl.trim() || undefined,
      noProxy: draft.noProxy.trim() || undefined,
      resolve: draft.resolve.trim() ? draft.resolve.trim().split(/[\s,]+/) : undefined,
      isInsecureTls: draft.isInsecureTls || undefined,
      isHttp2Allowed: draft.isHttp2Allowed ? undefined : false,
      caFile: draft.caFile.trim() || undefined,
      certFile: draft.certFile.trim() || undefined,
      keyFile: draft.keyFile.trim() || undefined,
      keyPassphrase: draft.keyPassphrase || undefined,
      connectTimeoutMs: secondsToMs(draft.connectTimeout),
      firstByteTimeoutMs: secondsToMs(draft.firstByteTimeout),
    },
  }
}

/** A draft that describes `request` (for a pasted curl command or a recent request). */
export function fromStreamRequest(request: StreamRequest): RequestDraft {
  return {
    ...EMPTY_DRAFT,
    url: request.url,
    method: (request.method ?? 'GET').toUpperCase(),
    headers: (request.headers ?? []).map(([name, value]) => headerRow(name, value)),
    body: request.body ?? '',
    lastEventId: request.lastEventId ?? '',
    isReconnectEnabled: request.reconnect?.isEnabled ?? true,
    maxReconnects: request.reconnect?.maxAttempts === undefined ? '' : String(request.reconnect.maxAttempts),
    isKeepingCookies: request.reconnect?.isKeepingCookies ?? false,
    proxyUrl: request.transport?.proxyUrl ?? '',
    noProxy: request.transport?.noProxy ?? '',
    resolve: (request.transport?.resolve ?? []).join(', '),
    isInsecureTls: request.transport?.isInsecureTls ?? false,
    isHttp2Allowed: request.transport?.isHttp2Allowed ?? true,
    caFile: request.transport?.caFile ?? '',
    certFile: request.transport?.certFile ?? '',
    keyFile: request.transport?.keyFile ?? '',
    keyPassphrase: request.transport?.keyPassphrase ?? '',
    connectTimeout: msToSeconds(request.transport?.connectTimeoutMs),
    firstByteTimeout: msToSeconds(request.transport?.firstByteTimeoutMs),
    maxEventMiB: request.maxEventBytes === undefined ? '' : String(request.maxEventBytes / MiB),
  }
}

function msToSeconds(ms: number | undefined): string {
  return ms === undefined ? '' : String(ms / 1000)
}
