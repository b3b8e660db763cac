import { redactHeaders, redactUrl } from '../../shared/redact-headers.ts'
import type { StreamRecord } from '../../shared/sse/stream-records.ts'
import type { TlsFacts } from '../../shared/sse/fetch-like.ts'
import type { HeaderEntry } from '../../shared/sse/stream-request.ts'
import { redirectChain } from '../../shared/sse/redirect-chain.ts'
import { timingPhrase } from '../../shared/sse/timing-steps.ts'
import { terminalSafe, terminalSafeId } from './terminal-safe.ts'

export type LineOptions = {
  hasChunks: boolean
  isShowingSecrets: boolean
  hasColor: boolean
  /** Human output: the response headers under each open line (as curl -i). */
  hasHeaders?: boolean
  /** Human output: the request headers under each request line (as curl -v). */
  hasRequestHeaders?: boolean
}

const PREVIEW_CHARS = 120

/** Headers as a JSON object: lowercased names, repeated headers joined as HTTP allows (set-cookie as a list). */
function headerObject(headers: readonly HeaderEntry[]): Record<string, string | string[]> {
  // No prototype: a header named "constructor" or "__proto__" is a name like any other.
  const object: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>
  for (const [rawName, value] of headers) {
    const name = rawName.toLowerCase()
    const previous = object[name]
    if (name === 'set-cookie') object[name] = [...((previous as string[] | undefined) ?? []), value]
    else object[name] = previous === undefined ? value : `${previous as string}, ${value}`
  }
  return object
}

/** One NDJSON line for a record, or undefined for records the options leave out. */
export function jsonLine(record: StreamRecord, options: LineOptions): string | undefined {
  const visible = (headers: readonly HeaderEntry[]) =>
    headerObject(options.isShowingSecrets ? headers : redactHeaders(headers))
  const url = (raw: string) => (options.isShowingSecrets ? raw : redactUrl(raw))
  switch (record.kind) {
    case 'chunk': {
      if (!options.hasChunks) return undefined
      const { bytes, ...rest } = record
      return JSON.stringify({
        ...rest,
        sizeBytes: bytes.length,
        bytesBase64: Buffer.from(bytes).toString('base64'),
      })
    }
    case 'request':
    case 'open':
      return JSON.stringify({ ...record, url: url(record.url), headers: visible(record.headers) })
    default:
      return JSON.stringify(record)
  }
}

type Paint = (code: string, text: string) => string

function clock(atMs: number): string {
  const date = new Date(atMs)
  const pad = (n: number, width = 2) => String(n).padStart(width, '0')
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`
}

/** "TLSv1.3, TLS_AES_256_GCM_SHA384; certificate CN=a.example, issued by CN=R3, until 2027-01-01". */
function tlsSummary(tls: TlsFacts): string {
  const certificate = tls.certificate
  const about = certificate
    ? `; certificate ${certificate.subject}, issued by ${certificate.issuer}, until ${certificate.validTo.slice(0, 10)}`
    : ''
  const trust = tls.untrustedBecause ? ` (not trusted: ${tls.untrustedBecause}; accepted by -k)` : ''
  return `${tls.protocol}, ${tls.cipher}${about}${trust}`
}

function preview(text: string): string {
  const flat = text.replace(/\r?\n/g, '⏎')
  return flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS)}…` : flat
}

/**
 * One human-readable line for a record, or undefined for records that are not shown. Everything in
 * it came from the stream, the server or the network, so control characters show as escapes, and
 * the only escape sequences the terminal gets are this line's own colours.
 */
export function humanLine(record: StreamRecord, options: LineOptions): string | undefined {
  const shown = (text: string) => terminalSafe(text)
  const paint: Paint = options.hasColor
    ? (code, text) => `\x1b[${code}m${text}\x1b[0m`
    : (_code, text) => text
  const label = (name: string, code: string) => paint(code, name.padEnd(9))
  const time = paint('2', clock(record.atMs))
  /** The line, then the headers under the text after its label, secrets redacted unless shown. */
  const withHeaders = (line: string, headers: readonly HeaderEntry[], notes: readonly string[] = []) => {
    const visible = options.isShowingSecrets ? headers : redactHeaders(headers)
    const indent = ' '.repeat(12 + 2 + 9 + 1)
    return [
      line,
      ...notes.map((note) => `${indent}${paint('2', `* ${shown(note)}`)}`),
      ...visible.map(([name, value]) => `${indent}${paint('2', `${shown(name)}:`)} ${shown(value)}`),
    ].join('\n')
  }
  switch (record.kind) {
    case 'request': {
      const line = `${time}  ${label('request', '2')} ${shown(`${record.method} ${options.isShowingSecrets ? record.url : redactUrl(record.url)}`)}`
      return options.hasRequestHeaders ? withHeaders(line, record.headers) : line
    }
    case 'open': {
      const contentType =
        record.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? 'no content-type'
      const shownUrl = (url: string) => (options.isShowingSecrets ? url : redactUrl(url))
      const redirected = record.isRedirected ? ` (redirected: ${redirectChain(record, shownUrl)})` : ''
      const proxy = record.proxy ? ` via proxy ${record.proxy}` : ''
      const address = record.remoteAddress ? ` from ${record.remoteAddress}` : ''
      const steps = timingPhrase(record)
      const timing = steps ? ` (${steps})` : ''
      const line = `${time}  ${label('open', '32')} ${shown(`${[record.status, record.statusText].filter(Boolean).join(' ')} HTTP/${record.httpVersion} ${contentType} in ${record.timeToHeadersMs.toFixed(0)} ms${timing}${address}${proxy}${redirected}`)}`
      // As curl -v says it: the TLS the response came over, above its headers.
      const tls = record.tls ? [tlsSummary(record.tls)] : []
      return options.hasHeaders ? withHeaders(line, record.headers, tls) : line
    }
    case 'chunk':
      return options.hasChunks
        ? `${time}  ${label('chunk', '2')} ${record.bytes.length} B at byte ${record.startByte}`
        : undefined
    case 'event': {
      const id = record.id !== undefined ? ` id=${terminalSafeId(record.id)}` : ''
      return `${time}  ${label('event', '36')} ${paint('1', shown(record.type))}${id} ${shown(preview(record.data))}`
    }
    case 'retry':
      return `${time}  ${label('retry', '35')} ${record.ms} ms`
    case 'comment':
      return `${time}  ${label('comment', '2')} ${shown(preview(record.text))}`
    case 'warning':
      return `${time}  ${label('warning', '33')} [${record.code}] ${shown(record.message)}`
    case 'reconnect': {
      const id =
        record.lastEventId === ''
          ? 'no Last-Event-ID'
          : `Last-Event-ID: ${terminalSafeId(record.lastEventId)}`
      return `${time}  ${label('reconnect', '35')} #${record.reconnectAttempt} in ${record.delayMs} ms, ${id}`
    }
    case 'close': {
      const next = record.willReconnect ? 'will reconnect' : 'done'
      return `${time}  ${label('close', '34')} ${record.cause}: ${shown(record.message)} (${next})`
    }
    case 'error':
      return `${time}  ${label('error', '31')} [${record.code}] ${shown(record.message)}`
  }
}
