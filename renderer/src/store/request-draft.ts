import { withDefaultScheme } from '../../../shared/sse/default-scheme.ts'
import { basicAuthorization } from '../../../shared/sse/request-headers.ts'
import type { HeaderEntry, StreamRequest } from '../../../shared/sse/stream-request.ts'
import { MAX_SECONDS, numberProblem, type NumberRule } from '../number-field.ts'
import { isReconnectedByDefault } from '../../../shared/sse/reconnect-default.ts'

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
  /** Reconnect after a transient refusal (429, 503…) too, as EventSource does not. */
  isRetryingHttpErrors: boolean
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
  isRetryingHttpErrors: false,
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

/** The Options fields typed as numbers, by their labels. */
export const NUMBER_FIELDS = {
  maxReconnects: { label: 'Max reconnects', rule: { min: 0, isWhole: true } },
  connectTimeout: { label: 'Connect timeout', rule: { min: 0, ...MAX_SECONDS } },
  firstByteTimeout: { label: 'First-byte timeout', rule: { min: 0, ...MAX_SECONDS } },
  maxEventMiB: { label: 'Max event size', rule: { min: 0, isMinAllowed: false } },
} satisfies Record<string, { label: string; rule: NumberRule }>

export type NumberField = keyof typeof NUMBER_FIELDS

/** The number fields of a draft that hold what no request can take, each with what is wrong. */
export function draftProblems(draft: RequestDraft): Partial<Record<NumberField, string>> {
  const problems: Partial<Record<NumberField, string>> = {}
  for (const [field, { rule }] of Object.entries(NUMBER_FIELDS) as [NumberField, { rule: NumberRule }][]) {
    const problem = numberProblem(draft[field], rule)
    if (problem) problems[field] = problem
  }
  return problems
}

/** A banner's words for a draft's problems ("Options: Connect timeout: "5s" is not a number."), if any. */
export function draftProblemText(draft: RequestDraft): string | undefined {
  const problems = Object.entries(draftProblems(draft)) as [NumberField, string][]
  if (problems.length === 0) return undefined
  return `Options: ${problems.map(([field, problem]) => `${NUMBER_FIELDS[field].label}: ${problem}`).join('; ')}.`
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
      isRetryingHttpErrors: draft.isRetryingHttpErrors || undefined,
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
    isReconnectEnabled: request.reconnect?.isEnabled ?? isReconnectedByDefault(request.method),
    maxReconnects: request.reconnect?.maxAttempts === undefined ? '' : String(request.reconnect.maxAttempts),
    isKeepingCookies: request.reconnect?.isKeepingCookies ?? false,
    isRetryingHttpErrors: request.reconnect?.isRetryingHttpErrors ?? false,
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
