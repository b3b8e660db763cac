import { withDefaultScheme } from './sse/default-scheme.ts'
import { parseProxyUrl } from './sse/proxy-url.ts'
import type { ApiMethod } from './api.ts'
import { parseResolveEntry } from './sse/resolve-entries.ts'
import type { HeaderEntry, ReconnectPolicy, StreamRequest, TransportOptions } from './sse/stream-request.ts'
import { MAX_TIMER_MS } from './timer-limit.ts'
import { isSendableHeaderValue } from './sse/request-headers.ts'

/** Thrown for input a face must refuse; its message is safe to show. */
export class InvalidInputError extends Error {
  override name = 'InvalidInputError'
}

const MAX_TEXT = 16 * 1024 * 1024
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

function fail(message: string): never {
  throw new InvalidInputError(message)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function optionalString(value: unknown, field: string, max = MAX_TEXT): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string' || value.length > max) fail(`${field} must be a string`)
  return value
}

function optionalNumber(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    fail(`${field} must be a non-negative number`)
  return value
}

/** A delay a timer can take (MAX_TIMER_MS). */
function optionalDelayMs(value: unknown, field: string): number | undefined {
  const ms = optionalNumber(value, field)
  if (ms !== undefined && ms > MAX_TIMER_MS) fail(`${field} must be at most ${MAX_TIMER_MS} (24 days)`)
  return ms
}

function optionalBoolean(value: unknown, field: string): boolean | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'boolean') fail(`${field} must be true or false`)
  return value
}

/** A Last-Event-ID to send: no line break (an event id never holds one, and a header cannot). */
function optionalLastEventId(value: unknown): string | undefined {
  const id = optionalString(value, 'lastEventId', 64 * 1024)
  if (id !== undefined && !isSendableHeaderValue(id))
    fail('lastEventId cannot hold a line break or NUL: an event id never does, and a header cannot carry one')
  return id
}

function parseHeaders(value: unknown): HeaderEntry[] {
  if (value === undefined) return []
  if (!Array.isArray(value) || value.length > 500) fail('headers must be a list of [name, value] pairs')
  return value.map((entry, i) => {
    if (!Array.isArray(entry) || entry.length !== 2) fail(`header ${i + 1} must be [name, value]`)
    const [name, headerValue] = entry as unknown[]
    if (typeof name !== 'string' || !HEADER_NAME.test(name)) fail(`header ${i + 1} has an invalid name`)
    if (typeof headerValue !== 'string' || !isSendableHeaderValue(headerValue))
      fail(`header ${name} has an invalid value`)
    return [name, headerValue] as const
  })
}

function parseReconnect(value: unknown): ReconnectPolicy | undefined {
  if (value === undefined) return undefined
  if (!isRecord(value)) fail('reconnect must be an object')
  const backoff = value.backoff
  if (backoff !== undefined && !isRecord(backoff)) fail('reconnect.backoff must be an object')
  return {
    isEnabled: optionalBoolean(value.isEnabled, 'reconnect.isEnabled') ?? true,
    maxAttempts: optionalNumber(value.maxAttempts, 'reconnect.maxAttempts'),
    initialRetryMs: optionalNumber(value.initialRetryMs, 'reconnect.initialRetryMs'),
    isKeepingCookies: optionalBoolean(value.isKeepingCookies, 'reconnect.isKeepingCookies'),
    isRetryingHttpErrors: optionalBoolean(value.isRetryingHttpErrors, 'reconnect.isRetryingHttpErrors'),
    backoff: backoff
      ? {
          maxMs: optionalNumber(backoff.maxMs, 'reconnect.backoff.maxMs') ?? 30_000,
          hasJitter: optionalBoolean(backoff.hasJitter, 'reconnect.backoff.hasJitter') ?? true,
        }
      : undefined,
  }
}

function parseResolve(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined
  if (!Array.isArray(value) || value.length > 100)
    fail('transport.resolve must be a list of HOST:PORT:ADDRESS')
  return value.map((entry) => {
    if (typeof entry !== 'string') fail('transport.resolve must be a list of HOST:PORT:ADDRESS')
    try {
      parseResolveEntry(entry)
    } catch (error) {
      fail((error as Error).message)
    }
    return entry
  })
}

function parseTransport(value: unknown): TransportOptions | undefined {
  if (value === undefined) return undefined
  if (!isRecord(value)) fail('transport must be an object')
  const proxyUrl = optionalString(value.proxyUrl, 'transport.proxyUrl', 2048)
  if (proxyUrl) {
    try {
      parseProxyUrl(proxyUrl)
    } catch (error) {
      fail((error as Error).message)
    }
  }
  return {
    proxyUrl: proxyUrl || undefined,
    noProxy: optionalString(value.noProxy, 'transport.noProxy', 4096) || undefined,
    isProxyTunnel: optionalBoolean(value.isProxyTunnel, 'transport.isProxyTunnel'),
    isInsecureTls: optionalBoolean(value.isInsecureTls, 'transport.isInsecureTls'),
    caFile: optionalString(value.caFile, 'transport.caFile', 4096) || undefined,
    certFile: optionalString(value.certFile, 'transport.certFile', 4096) || undefined,
    keyFile: optionalString(value.keyFile, 'transport.keyFile', 4096) || undefined,
    keyPassphrase: optionalString(value.keyPassphrase, 'transport.keyPassphrase', 4096) || undefined,
    resolve: parseResolve(value.resolve),
    isHttp2Allowed: optionalBoolean(value.isHttp2Allowed, 'transport.isHttp2Allowed'),
    connectTimeoutMs: optionalDelayMs(value.connectTimeoutMs, 'transport.connectTimeoutMs'),
    firstByteTimeoutMs: optionalDelayMs(value.firstByteTimeoutMs, 'transport.firstByteTimeoutMs'),
  }
}

/** An http(s) URL (http:// when it names no scheme), or a clear error. */
export function parseHttpUrl(raw: string, what = 'URL'): URL {
  let url: URL
  try {
    url = new URL(withDefaultScheme(raw))
  } catch {
    fail(`${what} is not valid: ${JSON.stringify(raw.slice(0, 200))}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    fail(`${what} must start with http:// or https://`)
  return url
}

/** Checks an untrusted value (from IPC or HTTP) and returns it as a StreamRequest. */
export function parseStreamRequest(value: unknown): StreamRequest {
  if (!isRecord(value)) fail('request must be an object')
  const url = parseHttpUrl(optionalString(value.url, 'url', 8192) ?? '').href
  const method = (optionalString(value.method, 'method', 32) ?? 'GET').toUpperCase()
  if (!/^[A-Z]+$/.test(method)) fail('method must be letters only')
  return {
    url,
    method,
    headers: parseHeaders(value.headers),
    body: optionalString(value.body, 'body'),
    lastEventId: optionalLastEventId(value.lastEventId),
    maxEventBytes: optionalNumber(value.maxEventBytes, 'maxEventBytes'),
    reconnect: parseReconnect(value.reconnect),
    transport: parseTransport(value.transport),
  }
}

/**
 * The largest file an import takes: the backend holds it, the recording made of it and that recording's
 * records at once. The faces size their limits by it.
 */
export const MAX_IMPORT_BYTES = 225 * 1024 * 1024

/** The arguments of an API method, checked; throws InvalidInputError. */
export function parseApiArgs(method: ApiMethod, args: unknown): unknown[] {
  const list = Array.isArray(args) ? args : fail('arguments must be a list')
  const id = () => {
    const value = list[0]
    const what =
      method === 'stopChecks' ? 'runId' : /Recordings?$/.test(method) ? 'recordingId' : 'connectionId'
    if (typeof value !== 'string' || !/^[\w-]{1,64}$/.test(value)) fail(`${what} is invalid`)
    return value
  }
  switch (method) {
    case 'connect': {
      const options = list[1] ?? {}
      if (!isRecord(options)) fail('connect options must be an object')
      return [
        parseStreamRequest(list[0]),
        { isRecording: optionalBoolean(options.isRecording, 'isRecording') ?? true },
      ]
    }
    case 'listRecordings':
    case 'libraryLocation':
      return []
    case 'setLibraryLocation': {
      const dir = optionalString(list[0], 'dir', 4096)?.trim()
      if (!dir || !/^(\/|[A-Za-z]:[\\/]|~)/.test(dir)) fail('the library folder must be an absolute path')
      return [dir]
    }
    case 'deleteRecording':
    case 'stopServingRecording':
      return [id()]
    case 'editRecording': {
      const edit = list[1]
      if (!isRecord(edit)) fail('the edit must be an object')
      const tags = edit.tags
      if (
        tags !== undefined &&
        (!Array.isArray(tags) ||
          tags.length > 50 ||
          !tags.every((t) => typeof t === 'string' && t.length <= 100))
      ) {
        fail('tags must be a list of short strings')
      }
      return [
        id(),
        {
          name: optionalString(edit.name, 'name', 500),
          notes: optionalString(edit.notes, 'notes', 100_000),
          tags: tags as string[] | undefined,
        },
      ]
    }
    case 'openRecording': {
      const options = list[1]
      const speed = isRecord(options) ? options.speed : undefined
      if (speed !== 'instant' && (typeof speed !== 'number' || !(speed > 0) || speed > 1000))
        fail("speed must be 'instant' or a number from 0 to 1000")
      return [id(), { speed }]
    }
    case 'exportRecording': {
      const format = list[1]
      if (format !== 'recording' && format !== 'har' && format !== 'ndjson' && format !== 'sse')
        fail('format must be recording, har, ndjson or sse')
      return [id(), format]
    }
    case 'importRecording': {
      const fileName = optionalString(list[0], 'fileName', 500) ?? 'import'
      const bytes = list[1]
      if (!(bytes instanceof Uint8Array)) fail('the file must be bytes')
      if (bytes.length > MAX_IMPORT_BYTES)
        fail(`the file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB`)
      return [fileName, bytes]
    }
    case 'diffRecordings': {
      const second = list[1]
      if (typeof second !== 'string' || !/^[\w-]{1,64}$/.test(second))
        fail('the second recording id is invalid')
      const ignored = list[2] ?? []
      if (
        !Array.isArray(ignored) ||
        ignored.length > 100 ||
        !ignored.every((field) => typeof field === 'string' && field.length > 0 && field.length <= 200)
      )
        fail('ignored fields must be a list of up to 100 names')
      return [id(), second, ignored as string[]]
    }
    case 'annotate': {
      const text = optionalString(list[1], 'text', 10_000)?.trim()
      if (!text) fail('a note needs some text')
      return [id(), text]
    }
    case 'controlReplay': {
      const control = list[1]
      if (!isRecord(control)) fail('the replay control must be an object')
      switch (control.action) {
        case 'pause':
        case 'resume':
        case 'step':
          return [id(), { action: control.action }]
        case 'speed': {
          const speed = control.speed
          if (speed !== 'instant' && (typeof speed !== 'number' || !(speed > 0) || speed > 1000))
            fail('speed must be instant or 0–1000')
          return [id(), { action: 'speed', speed }]
        }
        case 'seek':
          return [id(), { action: 'seek', offsetMs: optionalNumber(control.offsetMs, 'offsetMs') ?? 0 }]
        default:
          return fail('unknown replay action')
      }
    }
    case 'serveRecording': {
      const options = list[1] ?? {}
      if (!isRecord(options)) fail('serve options must be an object')
      const speed = optionalNumber(options.speed, 'speed')
      const isEachAttempt = optionalBoolean(options.isEachAttempt, 'isEachAttempt') ?? false
      return [id(), { speed: speed && speed > 0 ? speed : 1, isEachAttempt }]
    }
    case 'disconnect':
    case 'closeConnection':
    case 'stopChecks':
      return [id()]
    case 'reconnect': {
      const options = list[1]
      if (options !== undefined && !isRecord(options)) fail('reconnect options must be an object')
      const lastEventId = optionalLastEventId(options?.lastEventId)
      return [id(), lastEventId === undefined ? {} : { lastEventId }]
    }
    case 'readChunks': {
      const [from, to] = [list[1], list[2]]
      if (
        !Number.isInteger(from) ||
        !Number.isInteger(to) ||
        (from as number) < 0 ||
        (to as number) < (from as number)
      ) {
        fail('readChunks needs 0 <= fromSeq <= toSeq')
      }
      return [id(), from, to]
    }
    case 'runChecks': {
      const options = list[1] ?? {}
      if (!isRecord(options)) fail('check options must be an object')
      const origin = optionalString(options.origin, 'origin', 2048)
      if (origin && !/^https?:\/\/[^/\s]+$/.test(origin))
        fail('origin must look like https://app.example.com')
      const durationMs = optionalNumber(options.durationMs, 'durationMs')
      const idleMs = optionalNumber(options.idleMs, 'idleMs')
      if ((durationMs ?? 0) > 600_000 || (idleMs ?? 0) > 3_600_000) fail('check durations are too long')
      return [parseStreamRequest(list[0]), { durationMs, idleMs, origin: origin || undefined }]
    }
    case 'startDemo':
      return []
  }
}
