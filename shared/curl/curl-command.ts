import { isSecretHeader, REDACTED, redactBody, redactUrl, redactValue } from '../redact-headers.ts'
import { withDefaultScheme } from '../sse/default-scheme.ts'
import { basicAuthorization } from '../sse/request-headers.ts'
import { parseResolveEntry } from '../sse/resolve-entries.ts'
import type { HeaderEntry, StreamRequest, TransportOptions } from '../sse/stream-request.ts'
import { MAX_TIMER_MS } from '../timer-limit.ts'
import { isReconnectedByDefault } from '../sse/reconnect-default.ts'

/** Quotes a word for a POSIX shell. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}

/**
 * The flags a command line spells a request with where curl and `sse-inspector` differ (the rest, -X,
 * -H, -k, --cacert, --cert, --key, --pass, --resolve, --noproxy, --connect-timeout, they share).
 */
type RequestFlags = {
  body: string
  proxy: string
  http1: string
  keepCookies: readonly string[]
  /** Absent: the Last-Event-ID goes as a header. */
  lastEventId?: string
  /** Absent: the command has no such option. */
  proxyTunnel?: string
  firstByteTimeout?: string
  maxEventBytes?: string
}

const CURL_FLAGS: RequestFlags = {
  body: '--data-raw',
  proxy: '-x',
  http1: '--http1.1',
  keepCookies: ['-c', '/dev/null'], // curl's cookie engine, on
  proxyTunnel: '--proxytunnel',
}

/** As main/cli/request-options.ts reads them. */
export const INSPECTOR_FLAGS: RequestFlags = {
  body: '-d',
  proxy: '--proxy',
  http1: '--no-http2',
  keepCookies: ['--keep-cookies'],
  lastEventId: '--last-event-id',
  proxyTunnel: '--proxy-tunnel',
  firstByteTimeout: '--first-byte-timeout',
  maxEventBytes: '--max-event-bytes',
}

/**
 * The words after the command name that spell `request` (shell-quoted): secrets (headers, URL tokens,
 * body keys, proxy passwords, a key's passphrase) redacted unless `isShowingSecrets`.
 */
export function requestWords(
  request: StreamRequest,
  flags: RequestFlags,
  isShowingSecrets = false,
): string[] {
  const parts: string[] = []
  const method = (request.method ?? 'GET').toUpperCase()
  if (method !== 'GET' && !(method === 'POST' && request.body !== undefined)) parts.push('-X', method)
  const visibleUrl = (url: string) => (isShowingSecrets ? url : redactUrl(url))
  parts.push(shellQuote(visibleUrl(request.url)))
  for (const [name, value] of request.headers ?? []) {
    const shown = isSecretHeader(name) && !isShowingSecrets ? redactValue(value) : value
    parts.push('-H', shellQuote(`${name}: ${shown}`))
  }
  if (request.lastEventId)
    parts.push(
      ...(flags.lastEventId
        ? [flags.lastEventId, shellQuote(request.lastEventId)]
        : ['-H', shellQuote(`Last-Event-ID: ${request.lastEventId}`)]),
    )
  if (request.reconnect?.isKeepingCookies) parts.push(...flags.keepCookies)
  if (request.body !== undefined)
    parts.push(flags.body, shellQuote(isShowingSecrets ? request.body : redactBody(request.body)))
  if (flags.maxEventBytes && request.maxEventBytes !== undefined)
    parts.push(flags.maxEventBytes, String(request.maxEventBytes))
  const transport = request.transport ?? {}
  if (transport.proxyUrl) parts.push(flags.proxy, shellQuote(visibleUrl(transport.proxyUrl)))
  if (transport.isProxyTunnel && flags.proxyTunnel) parts.push(flags.proxyTunnel)
  if (transport.noProxy) parts.push('--noproxy', shellQuote(transport.noProxy))
  for (const entry of transport.resolve ?? []) parts.push('--resolve', shellQuote(entry))
  if (transport.isInsecureTls) parts.push('-k')
  if (transport.isHttp2Allowed === false) parts.push(flags.http1)
  if (transport.caFile) parts.push('--cacert', shellQuote(transport.caFile))
  if (transport.certFile) parts.push('--cert', shellQuote(transport.certFile))
  if (transport.keyFile) parts.push('--key', shellQuote(transport.keyFile))
  if (transport.keyPassphrase !== undefined)
    parts.push('--pass', shellQuote(isShowingSecrets ? transport.keyPassphrase : REDACTED))
  if (transport.connectTimeoutMs !== undefined)
    parts.push('--connect-timeout', String(transport.connectTimeoutMs / 1000))
  if (flags.firstByteTimeout && transport.firstByteTimeoutMs !== undefined)
    parts.push(flags.firstByteTimeout, String(transport.firstByteTimeoutMs / 1000))
  return parts
}

/** The request as a curl command line; secrets (headers, URL tokens, body keys, proxy passwords) are redacted unless `isShowingSecrets`. */
export function toCurl(request: StreamRequest, options: { isShowingSecrets?: boolean } = {}): string {
  return ['curl', '-N', ...requestWords(request, CURL_FLAGS, options.isShowingSecrets)].join(' ')
}

const C_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
}

/**
 * The text of a bash `$'…'` string starting at `start` (just after the opening quote), and where it
 * ends: backslash escapes as bash reads them. `\xHH` and octal escapes are bytes, which curl sends as
 * they are; UTF-8 sequences written that way (browsers do) are decoded back to text.
 */
function ansiCQuoted(command: string, start: number): { text: string; end: number } {
  const bytes: number[] = []
  const flush = () => (bytes.length > 0 ? new TextDecoder().decode(new Uint8Array(bytes.splice(0))) : '')
  let text = ''
  let i = start
  for (;;) {
    if (i >= command.length) throw new Error("unterminated $'…' quote")
    const c = command[i]!
    if (c === "'") return { text: text + flush(), end: i + 1 }
    if (c !== '\\') {
      text += flush() + c
      i++
      continue
    }
    const next = command[i + 1] ?? ''
    const hex = /^x([0-9a-fA-F]{1,2})/.exec(command.slice(i + 1, i + 4))
    const octal = /^[0-7]{1,3}/.exec(command.slice(i + 1, i + 4))
    const unicode = /^(?:u([0-9a-fA-F]{1,4})|U([0-9a-fA-F]{1,8}))/.exec(command.slice(i + 1, i + 10))
    if (hex) {
      bytes.push(parseInt(hex[1]!, 16))
      i += 1 + hex[0].length
    } else if (octal) {
      bytes.push(parseInt(octal[0], 8) & 0xff)
      i += 1 + octal[0].length
    } else if (unicode) {
      text += flush() + String.fromCodePoint(parseInt(unicode[1] ?? unicode[2]!, 16))
      i += 1 + unicode[0].length
    } else {
      text += flush() + (C_ESCAPES[next] ?? `\\${next}`)
      i += 2
    }
  }
}

/** Splits a shell command line into words: quotes (with bash's $'…'), backslash escapes and line continuations. */
export function shellWords(command: string): string[] {
  const words: string[] = []
  let word = ''
  let hasWord = false
  let i = 0
  while (i < command.length) {
    const c = command[i]!
    if (c === '\\' && (command[i + 1] === '\n' || (command[i + 1] === '\r' && command[i + 2] === '\n'))) {
      i += command[i + 1] === '\r' ? 3 : 2
    } else if (c === '\\') {
      word += command[i + 1] ?? ''
      hasWord = true
      i += 2
    } else if (c === '$' && command[i + 1] === "'") {
      // ANSI-C quoting, as browsers' "Copy as cURL (bash)" writes a body with newlines or quotes in it.
      const quoted = ansiCQuoted(command, i + 2)
      word += quoted.text
      hasWord = true
      i = quoted.end
    } else if (c === "'") {
      const end = command.indexOf("'", i + 1)
      if (end === -1) throw new Error('unterminated single quote')
      word += command.slice(i + 1, end)
      hasWord = true
      i = end + 1
    } else if (c === '"') {
      i++
      while (i < command.length && command[i] !== '"') {
        if (command[i] === '\\' && '"\\$`\n'.includes(command[i + 1] ?? '')) i++
        word += command[i]
        i++
      }
      if (i >= command.length) throw new Error('unterminated double quote')
      hasWord = true
      i++
    } else if (/\s/.test(c)) {
      if (hasWord) words.push(word)
      word = ''
      hasWord = false
      i++
    } else {
      word += c
      hasWord = true
      i++
    }
  }
  if (hasWord) words.push(word)
  return words
}

/** A curl command starts so (curl.exe: Windows, where curl alone may be PowerShell's alias). */
export const CURL_COMMAND = /^\s*curl(\.exe)?\s/

/** Whether a command is written for Windows' cmd.exe: its words quoted with ^" (Chrome's "Copy as cURL (cmd)"). */
function isWindowsCmd(command: string): boolean {
  return /^\s*curl(\.exe)?\s+\^"/.test(command)
}

/**
 * A command as Chrome's "Copy as cURL (cmd)" writes it for Windows, as the POSIX shell text it means:
 * ^ makes the next character plain (^" quotes, ^% ^& ^{ …); ^ at a line's end continues the command
 * on the next line, and ^ before two line ends is a line end within a value. Inside the quotes, \"
 * and \\ are a quote and a backslash, as in a POSIX double-quoted word.
 */
function fromWindowsCmd(command: string): string {
  const lineEndAt = (i: number) =>
    command[i] === '\r' && command[i + 1] === '\n' ? 2 : command[i] === '\n' ? 1 : 0
  let text = ''
  for (let i = 0; i < command.length; i++) {
    if (command[i] !== '^') {
      text += command[i]
      continue
    }
    const lineEnd = lineEndAt(i + 1)
    if (lineEnd === 0) {
      text += command[i + 1] ?? ''
      i++
      continue
    }
    const second = lineEndAt(i + 1 + lineEnd)
    text += second > 0 ? '\n' : ' ' // a line end in a value, or the command going on
    i += lineEnd + second
  }
  return text
}

const IGNORED_FLAGS = new Set([
  '-N',
  '--no-buffer',
  '-s',
  '--silent',
  '-S',
  '--show-error',
  '-v',
  '--verbose',
  '-i',
  '--include',
  '-L',
  '--location',
  '--compressed',
  '--no-progress-meter',
  '-f',
  '--fail',
  '-sS',
  '-sN',
  '-Ns',
])
const VALUE_FLAGS_IGNORED = new Set([
  '-o',
  '--output',
  '-m',
  '--max-time',
  '-w',
  '--write-out',
  '--retry',
  '--retry-delay',
  '--retry-max-time',
])

/**
 * A request from a pasted curl command (as browsers' "Copy as cURL" and API docs write them), or
 * throws with the reason. Understands -X, -H, -d/--data*, --json, -u, -A, -b, -c (keep cookies), -e,
 * -x, -p, -k, --url, --socks5(-hostname), --cacert, -E/--cert, --key, --pass, --noproxy, --resolve,
 * --connect-timeout and --http1.1.
 */
export function parseCurl(command: string): StreamRequest {
  const words = shellWords(isWindowsCmd(command) ? fromWindowsCmd(command.trim()) : command.trim())
  if (words[0] !== 'curl' && words[0] !== 'curl.exe') throw new Error('not a curl command')
  let url: string | undefined
  let method: string | undefined
  const headers: HeaderEntry[] = []
  const bodies: string[] = []
  let proxyUrl: string | undefined
  let isInsecureTls = false
  let isKeepingCookies = false
  const transportOptions: TransportOptions = {} // besides the proxy and -k
  const next = (i: number, flag: string) => {
    const value = words[i + 1]
    if (value === undefined) throw new Error(`${flag} needs a value`)
    return value
  }
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!
    const [flag, inline] =
      word.startsWith('--') && word.includes('=')
        ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]
        : [word, undefined]
    const value = () => {
      if (inline !== undefined) return inline
      const v = next(i, flag)
      i++
      return v
    }
    switch (flag) {
      case '-X':
      case '--request':
        method = value().toUpperCase()
        break
      case '-H':
      case '--header': {
        const header = value()
        const colon = header.indexOf(':')
        if (colon > 0) headers.push([header.slice(0, colon).trim(), header.slice(colon + 1).trim()])
        break
      }
      case '-d':
      case '--data':
      case '--data-raw':
      case '--data-binary':
      case '--data-ascii':
        bodies.push(value())
        break
      case '--json':
        bodies.push(value())
        headers.push(['Content-Type', 'application/json'])
        break
      case '-u':
      case '--user':
        headers.push(['Authorization', basicAuthorization(value())])
        break
      case '-A':
      case '--user-agent':
        headers.push(['User-Agent', value()])
        break
      case '-c': // a cookie jar: cookies the responses set go back, as they will on reconnects here
      case '--cookie-jar':
        value()
        isKeepingCookies = true
        break
      case '-b':
      case '--cookie':
        headers.push(['Cookie', value()])
        break
      case '-e':
      case '--referer':
        headers.push(['Referer', value()])
        break
      case '-x':
      case '--proxy':
        proxyUrl = value()
        break
      case '--socks5': // the transport always lets the proxy resolve names
      case '--socks5-hostname':
        proxyUrl = `${flag === '--socks5' ? 'socks5' : 'socks5h'}://${value()}`
        break
      case '-k':
      case '--insecure':
        isInsecureTls = true
        break
      case '--cacert':
        transportOptions.caFile = value()
        break
      case '-E':
      case '--cert':
        transportOptions.certFile = value()
        break
      case '--key':
        transportOptions.keyFile = value()
        break
      case '--pass':
        transportOptions.keyPassphrase = value()
        break
      case '--noproxy':
        transportOptions.noProxy = value()
        break
      case '-p':
      case '--proxytunnel':
        transportOptions.isProxyTunnel = true
        break
      case '--http1.1':
        transportOptions.isHttp2Allowed = false
        break
      case '--http2': // our default; the last of the two wins, as in curl
        delete transportOptions.isHttp2Allowed
        break
      case '--resolve': {
        const entry = value()
        parseResolveEntry(entry) // throws with the reason
        transportOptions.resolve = [...(transportOptions.resolve ?? []), entry]
        break
      }
      case '--connect-timeout': {
        const raw = value()
        const seconds = Number(raw)
        if (!Number.isFinite(seconds) || seconds < 0 || seconds * 1000 > MAX_TIMER_MS)
          throw new Error(`--connect-timeout needs seconds (at most 24 days), got ${raw}`)
        transportOptions.connectTimeoutMs = seconds * 1000
        break
      }
      case '--url':
        url = value()
        break
      default:
        if (IGNORED_FLAGS.has(flag)) break
        if (VALUE_FLAGS_IGNORED.has(flag)) {
          value()
          break
        }
        if (flag.startsWith('-')) throw new Error(`unsupported curl option ${flag}`)
        // curl fetches each URL in turn; a stream is one request (and "wget URL" is no curl command).
        if (url !== undefined) throw new Error(`the command names two URLs (${url} and ${word}): give one`)
        url = word
    }
  }
  if (!url) throw new Error('the curl command has no URL')
  const lastEventIdIndex = headers.findIndex(([name]) => name.toLowerCase() === 'last-event-id')
  const lastEventId = lastEventIdIndex === -1 ? undefined : headers.splice(lastEventIdIndex, 1)[0]![1]
  const body = bodies.length > 0 ? bodies.join('&') : undefined
  const sentMethod = method ?? (body !== undefined ? 'POST' : 'GET')
  return {
    url: withDefaultScheme(url), // curl's own default
    method: sentMethod,
    headers,
    body,
    lastEventId,
    ...(isKeepingCookies
      ? { reconnect: { isEnabled: isReconnectedByDefault(sentMethod), isKeepingCookies } }
      : {}),
    transport:
      proxyUrl || isInsecureTls || Object.keys(transportOptions).length > 0
        ? { proxyUrl, isInsecureTls: isInsecureTls || undefined, ...transportOptions }
        : undefined,
  }
}
