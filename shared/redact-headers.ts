import type { HeaderEntry, StreamRequest } from './sse/stream-request.ts'

const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'x-auth-token',
  'x-access-token',
])

/** Whether a header's value is a secret that the UI masks and exports redact. */
export function isSecretHeader(name: string): boolean {
  const lower = name.toLowerCase()
  return SECRET_HEADERS.has(lower) || /(^|-)(token|secret|api-?key|password)$/.test(lower)
}

/** A secret value with its scheme kept ("Bearer ••••"), so a reader still sees what kind of secret it was. */
export function redactValue(value: string): string {
  const scheme = /^(Bearer|Basic|Digest|Token)\s+/i.exec(value)
  return scheme ? `${scheme[1]} ${REDACTED}` : REDACTED
}

/** The headers with every secret value redacted. */
export function redactHeaders(headers: readonly HeaderEntry[]): HeaderEntry[] {
  return headers.map(([name, value]) => [name, isSecretHeader(name) ? redactValue(value) : value] as const)
}

/** Query parameter names that carry secrets (EventSource cannot send headers, so tokens ride in URLs). */
const SECRET_PARAM =
  /^(?:.*[-_])?(?:token|secret|api-?key|apikey|key|password|passwd|pwd|auth|authorization|signature|sig|session(?:[-_]?id)?)$/i

/** Whether a URL query parameter's value is a secret (`access_token`, `api_key`, `key`, `sig`…). */
export function isSecretParam(name: string): boolean {
  return SECRET_PARAM.test(name)
}

/**
 * The URL with its secrets redacted: the password of its userinfo and the values of secret-looking
 * query parameters. Everything else stays byte for byte; a URL without secrets comes back unchanged.
 */
export function redactUrl(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return url
  }
  let isChanged = false
  if (parsed.password) {
    parsed.password = 'REDACTED'
    isChanged = true
  }
  if (parsed.search.length > 1) {
    const parts = parsed.search.slice(1).split('&')
    const redacted = parts.map((part) => {
      const eq = part.indexOf('=')
      if (eq <= 0 || eq === part.length - 1) return part
      let name = part.slice(0, eq)
      try {
        name = decodeURIComponent(name.replace(/\+/g, ' '))
      } catch {
        // a malformed escape: judge the raw name
      }
      if (!isSecretParam(name)) return part
      isChanged = true
      return `${part.slice(0, eq)}=REDACTED`
    })
    parsed.search = `?${redacted.join('&')}`
  }
  return isChanged ? parsed.href : url
}

/** What a redacted secret becomes where no scheme is worth keeping. */
export const REDACTED = '[redacted]'

/**
 * The request with its secrets outside the headers redacted: in its URLs (its own and its proxy's) and
 * a client key's passphrase. Headers are untouched: callers redact or drop them as they need.
 */
export function redactRequestSecrets(request: StreamRequest): StreamRequest {
  const transport = request.transport
  return {
    ...request,
    url: redactUrl(request.url),
    transport: transport && {
      ...transport,
      proxyUrl: transport.proxyUrl && redactUrl(transport.proxyUrl),
      keyPassphrase: transport.keyPassphrase && REDACTED,
    },
  }
}
