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
  // CORS headers name policy, never a secret (Access-Control-Allow-Credentials: true).
  if (lower.startsWith('access-control-')) return false
  // …-Token, …-Secret, …-Api-Key, Azure's Ocp-Apim-Subscription-Key, …-Credential(s), …-JWT
  return (
    SECRET_HEADERS.has(lower) ||
    /(^|-)(token|secret|api-?key|subscription-key|password|credentials?|jwt)$/.test(lower)
  )
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
  /^(?:.*[-_])?(?:token|secret|api-?key|apikey|key|password|passwd|pwd|auth|authorization|signature|sig|credentials?|jwt|session(?:[-_]?id)?)$/i

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
    const query = parsed.search.slice(1)
    const redacted = redactQuery(query)
    if (redacted !== query) {
      parsed.search = `?${redacted}`
      isChanged = true
    }
  }
  return isChanged ? parsed.href : url
}

/** `a=1&token=t` with the values of secret-looking names redacted; the same string if it has none. */
function redactQuery(query: string): string {
  let isChanged = false
  const redacted = query.split('&').map((part) => {
    const eq = part.indexOf('=')
    if (eq <= 0 || eq === part.length - 1) return part
    let name = part.slice(0, eq)
    try {
      name = decodeURIComponent(name.replace(/\+/g, ' '))
    } catch {
      // a malformed escape: judge the raw name
    }
    if (isSecretParam(name)) {
      isChanged = true
      return `${part.slice(0, eq)}=REDACTED`
    }
    const nested = redactNestedUrl(part.slice(eq + 1))
    if (nested === undefined) return part
    isChanged = true
    return `${part.slice(0, eq)}=${nested}`
  })
  return isChanged ? redacted.join('&') : query
}

/** A stand-in origin for resolving a path-only URL carried in a parameter. */
const NESTED_BASE = 'http://nested.invalid'

/**
 * A parameter's value that is itself a URL (`?redirect_uri=https%3A%2F%2F…%3Ftoken%3D…`, a redirect's
 * `?to=/stream?token=…`), with that URL's secrets redacted and encoded again; undefined if it is not a
 * URL or holds no secret.
 */
function redactNestedUrl(rawValue: string): string | undefined {
  let value: string
  try {
    value = decodeURIComponent(rawValue.replace(/\+/g, ' '))
  } catch {
    return undefined
  }
  const isAbsolute = /^https?:\/\//i.test(value)
  if (!isAbsolute && !(value.startsWith('/') && value.includes('?'))) return undefined
  const redacted = redactUrl(isAbsolute ? value : NESTED_BASE + value)
  if (redacted === value || redacted === NESTED_BASE + value) return undefined
  const inner = isAbsolute ? redacted : redacted.slice(NESTED_BASE.length)
  // Encoded as it came: a value sent raw (`?to=/a?b=c`) stays raw, an encoded one is encoded again.
  return rawValue === value ? inner : encodeURIComponent(inner)
}

/** A form body: name=value pairs joined by `&`, nothing else (no spaces, no newlines). */
const FORM_BODY = /^[^=&\s]+=[^&\s]*(?:&[^=&\s]+=[^&\s]*)*$/
/** A JSON string token (the quotes included). */
const JSON_STRING = /"(?:[^"\\]|\\.)*"/g

/**
 * A request body with its secrets redacted: in JSON, the string value of every secret-looking key
 * (`"api_key": "…"`, `"password"`, `"client_secret"`, at any depth); in a form body, those values as in
 * a URL. Everything else stays byte for byte (an LLM prompt keeps its formatting); other bodies come
 * back unchanged.
 */
export function redactBody(body: string): string {
  const first = body.trimStart()[0]
  if (first === '{' || first === '[') return redactJsonText(body)
  return FORM_BODY.test(body) ? redactQuery(body) : body
}

/** Walks the JSON text's string tokens in order: a token followed by `:` is a key, the next its value. */
function redactJsonText(text: string): string {
  const parts: string[] = []
  let copiedTo = 0
  let isSecretKey = false
  let afterKey = -1 // where the value of a secret key may start
  JSON_STRING.lastIndex = 0
  for (let match = JSON_STRING.exec(text); match !== null; match = JSON_STRING.exec(text)) {
    const start = match.index
    const end = start + match[0].length
    if (isSecretKey && /^\s*:\s*$/.test(text.slice(afterKey, start))) {
      parts.push(text.slice(copiedTo, start), `"${REDACTED}"`)
      copiedTo = end
      isSecretKey = false
      continue
    }
    isSecretKey = /^\s*:/.test(text.slice(end, end + 64)) && isSecretParam(jsonString(match[0]))
    afterKey = end
  }
  if (copiedTo === 0) return text
  parts.push(text.slice(copiedTo))
  return parts.join('')
}

function jsonString(token: string): string {
  try {
    return JSON.parse(token) as string
  } catch {
    return token.slice(1, -1)
  }
}

/** What a redacted secret becomes where no scheme is worth keeping. */
export const REDACTED = '[redacted]'

/**
 * The request with its secrets outside the headers redacted: in its URLs (its own and its proxy's), its
 * body (see redactBody) and a client key's passphrase. Headers are untouched: callers redact or drop
 * them as they need.
 */
export function redactRequestSecrets(request: StreamRequest): StreamRequest {
  const transport = request.transport
  return {
    ...request,
    url: redactUrl(request.url),
    ...(request.body !== undefined ? { body: redactBody(request.body) } : {}),
    transport: transport && {
      ...transport,
      proxyUrl: transport.proxyUrl && redactUrl(transport.proxyUrl),
      keyPassphrase: transport.keyPassphrase && REDACTED,
    },
  }
}
