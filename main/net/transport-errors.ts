// What a transport failure means, in words a user can act on, and whether retrying can help: undici and
// Node report codes and parser states ("fetch failed" ← "connect ECONNREFUSED …").
import { maxHeaderSize } from 'node:http'
import type { TransportError, TransportErrorCode } from '../../shared/sse/fetch-like.ts'

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'ETIMEDOUT'])
const UNTRUSTED_CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
])
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME'])
const REQUEST_CODES = new Set(['UND_ERR_INVALID_ARG', 'ERR_INVALID_URL', 'ERR_INVALID_ARG_TYPE'])

/** Where a failure struck: before the response head arrived, or while the body streamed. */
export type ErrorPhase = 'head' | 'body'

/** What llhttp's reason for refusing a response head points at. */
function malformedPart(reason: string): string {
  if (/status|version|response line/i.test(reason))
    return 'its status line is not "HTTP/1.1 <three digits> <reason>"'
  if (/content-length/i.test(reason)) return 'its Content-Length is not one number'
  return 'a header name or value with a character HTTP forbids'
}

/** undici wraps the real reason in `cause` ("fetch failed" ← "connect ECONNREFUSED …"): surface it. */
export function classifyError(
  thrown: unknown,
  limits: { connectTimeout: number; headersTimeout: number; maxHeadBytes: number },
  phase: ErrorPhase,
  /** The proxy the request went to (no credentials): a connection that failed is to it. */
  proxyUrl?: string,
): TransportError {
  const error = thrown instanceof Error ? thrown : new Error(String(thrown))
  if (error.name === 'AbortError') return error
  const cause = error.cause instanceof Error ? (error.cause as Error & { code?: unknown }) : undefined
  // Codes are strings, but not always (a cancelled tunnel's is the number 0).
  const stringCode = (value: unknown) => (typeof value === 'string' ? value : undefined)
  const code = stringCode(cause?.code) ?? stringCode((error as Error & { code?: unknown }).code) ?? ''
  const proxyStatus = proxyRefusal(error)
  let transportCode: TransportErrorCode = 'network'
  if (TIMEOUT_CODES.has(code)) transportCode = 'timeout'
  else if (REQUEST_CODES.has(code)) transportCode = 'request'
  else if (error.message === 'fetch failed') transportCode = 'connect'
  // A TypeError with a cause is the network's ("terminated": the connection dropped mid-body); any other
  // TypeError fetch throws is about the request itself (a body on GET, a method it will not send).
  else if (error.name === 'TypeError' && !cause) transportCode = 'request'
  let reason = cause?.message || error.message
  const where = cause as { hostname?: string; address?: string; port?: number } | undefined
  const proxyFailure = proxyUrl === undefined ? undefined : unreachableProxy(proxyUrl, code, where?.hostname)
  if (proxyFailure !== undefined) {
    reason = proxyFailure
  } else if (proxyStatus === 407) {
    // Nothing changes by retrying: the proxy wants credentials the request does not carry.
    transportCode = 'request'
    reason =
      'the proxy asks for credentials (407 Proxy Authentication Required): put them in the proxy URL, http://user:password@host:port'
  } else if (proxyStatus !== undefined) {
    reason = `the proxy refused to open a tunnel to the server (it answered HTTP ${proxyStatus} to CONNECT): its access rules, or it cannot reach the server`
  } else if (DNS_CODES.has(code) && where?.hostname) {
    reason = `the name ${where.hostname} does not resolve (DNS lookup failed)`
  } else if (UNTRUSTED_CERT_CODES.has(code)) {
    // Node's own wording suggests a Node flag; say what to do here instead.
    const what = code.includes('SELF_SIGNED') ? 'self-signed' : 'issuer unknown'
    reason = `the server's certificate is not trusted (${what}): trust its CA (--cacert / Extra CA file) or accept any certificate (-k)`
  } else if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    // Node: "Hostname/IP does not match certificate's altnames: Host: a.test. is not in the cert's altnames: DNS:b.test"
    const named = /(?:Host|IP): (.*?)\.? is not in the cert's (?:altnames|list): (.*)$/.exec(reason)
    reason = named
      ? `the server's certificate is not for ${named[1]} (it names ${named[2]}): use a name it names, or accept any certificate (-k)`
      : `the server's certificate is not for this name (${reason}): use a name it names, or accept any certificate (-k)`
  } else if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' && phase === 'head') {
    reason =
      'the server did not answer in TLS: this port speaks plain HTTP (use http://), or the URL names the wrong port'
  } else if (code === 'CERT_HAS_EXPIRED') {
    reason = `the server's certificate has expired (or this machine's clock is wrong); -k accepts it anyway`
  } else if (code === 'ECONNREFUSED' && where?.address) {
    const host = where.address.includes(':') ? `[${where.address}]` : where.address // IPv6 in brackets
    reason = `nothing is listening at ${host}${where.port ? `:${where.port}` : ''} (connection refused)`
  } else if (code === 'UND_ERR_SOCKET' && reason === 'bad upgrade') {
    // A 101 to a request that asked for no upgrade: the server speaks another protocol at this URL.
    reason = `the server answered 101 Switching Protocols (${reason}) to a request that asked for no upgrade: this URL speaks another protocol (a WebSocket endpoint?), not SSE`
  } else if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
    reason = `the response's Content-Length does not match its body (${reason}): the server or a proxy declared a length it did not send, or sent two Content-Length headers that disagree`
  } else if (code === 'UND_ERR_SOCKET' && phase === 'head') {
    // What a TLS server does with a plain-HTTP request, and a server or proxy that refuses one outright.
    reason = `the server closed the connection without answering (${reason}): a TLS port reached with http:// (use https://), or a server or proxy that refused the request`
  } else if (code === 'UND_ERR_SOCKET') {
    reason = `the connection closed mid-response (${reason})`
  } else if (cause?.name === 'HTTPParserError' && phase === 'head' && /Expected HTTP\//.test(reason)) {
    reason = `the server did not answer in HTTP (${reason}): a TLS port reached with http:// (use https://), or not an HTTP server`
  } else if (cause?.name === 'HTTPParserError' && phase === 'head') {
    // An HTTP answer with a malformed head (a space in a header name…): lenient clients may read it, fetch does not.
    reason = `the server's response head is malformed (${reason}): ${malformedPart(reason)}, which lenient clients read and fetch, like EventSource, refuses`
  } else if (cause?.name === 'HTTPParserError' && /chunk/i.test(reason)) {
    reason = `the response body's chunked encoding is broken (${reason}): the server or a proxy wrote or cut it wrongly`
  } else if (/^Z_|^ERR__ERROR_/.test(code) || reason === 'Decompression failed') {
    reason = `the body does not decompress as its Content-Encoding says (${reason}): the server or a proxy mislabels or damages the compressed stream`
  } else if (code === 'ECONNRESET') {
    reason = 'the connection was reset by the other side'
  } else if (phase === 'head' && reason.includes('NGHTTP2_ENHANCE_YOUR_CALM')) {
    // Node's HTTP/2 client refuses a head of more than 128 header fields (undici cannot raise it).
    reason = `the server's HTTP/2 response broke a limit of this client (${reason}), most likely more than 128 header fields, which browsers take: connect over HTTP/1.1 (--no-http2, or untick Offer HTTP/2 in Options)`
  } else if (code === 'UND_ERR_HEADERS_OVERFLOW') {
    const beyond =
      limits.maxHeadBytes > maxHeaderSize ? ', more than browsers read' : ' through a SOCKS5 proxy'
    reason = `the response head is too large (over ${limits.maxHeadBytes / 1024} KiB of headers${beyond}): the server or a proxy sends oversized headers`
  } else if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    reason = `no connection within ${seconds(limits.connectTimeout)} (connect timeout): a firewall dropping packets, or a server too busy to accept`
  } else if (code === 'UND_ERR_SOCKS5_AUTH_FAILED') {
    reason = 'the SOCKS5 proxy refused the username and password in the proxy URL'
  } else if (code === 'UND_ERR_SOCKS5_AUTH_REJECTED') {
    reason =
      'the SOCKS5 proxy accepts none of the ways offered to log in (it may want socks5://user:password@host:port)'
  } else if (code.startsWith('UND_ERR_SOCKS5_REPLY_')) {
    reason = `the SOCKS5 proxy could not reach the target: ${reason.replace(/^SOCKS5 connection failed: /, '')}`
  } else if (reason === 'redirect count exceeded') {
    reason =
      'more than 20 redirects: a redirect loop (each Location leads back), as fetch and browsers give up'
  } else if (code === 'UND_ERR_HEADERS_TIMEOUT') {
    reason = `connected, but no response headers within ${seconds(limits.headersTimeout)} (first-byte timeout): the server or a proxy holds the response`
  }
  const managed = /^(?:invalid ([a-z-]+) header|(expect) header not supported)$/.exec(reason)
  if (managed) {
    const name = (managed[1] ?? managed[2]!).replace(/(^|-)[a-z]/g, (start) => start.toUpperCase())
    transportCode = 'request'
    reason = `the ${name} header cannot be sent: the HTTP client manages it (remove the header)`
  }
  const isCodeTold = !code || reason.includes(code) || proxyStatus !== undefined
  const described: TransportError = new Error(isCodeTold ? reason : `${reason} (${code})`)
  described.transportCode = transportCode
  return described
}

/** Where the proxy comes from: a user given only a refused connection may not know one is in the way. */
const PROXY_SETTINGS =
  'check the proxy (--proxy, or Proxy in Options; without one, the https_proxy, http_proxy or all_proxy environment variable)'

/**
 * What went wrong reaching the proxy, if that is what failed. Through a proxy this client connects only
 * to the proxy (the proxy connects to the server and answers for it), so a refused or timed-out
 * connection is the proxy's; a name that does not resolve is the proxy's when it is the proxy's name.
 */
function unreachableProxy(proxyUrl: string, code: string, hostname: string | undefined): string | undefined {
  const proxyHost = new URL(proxyUrl).hostname
  if (code === 'ECONNREFUSED')
    return `nothing is listening at the proxy ${proxyUrl} (connection refused): ${PROXY_SETTINGS}`
  if (code === 'UND_ERR_CONNECT_TIMEOUT')
    return `no connection to the proxy ${proxyUrl} (connect timeout): ${PROXY_SETTINGS}`
  if (DNS_CODES.has(code) && hostname === proxyHost)
    return `the proxy's name ${proxyHost} does not resolve (DNS lookup failed): ${PROXY_SETTINGS}`
  return undefined
}

/**
 * The status a proxy refused the request with, if that is what failed: undici reports a CONNECT
 * answered with anything but 200 deep in the cause chain, and a plain proxy's 407 in its own words.
 */
function proxyRefusal(error: Error): number | undefined {
  for (let link: unknown = error; link instanceof Error; link = link.cause) {
    const refused =
      /^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling$/.exec(link.message) ??
      /^Proxy Authentication Required \((407)\)$/.exec(link.message)
    if (refused) return Number(refused[1])
  }
  return undefined
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`
}
