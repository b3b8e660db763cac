import type { HeaderEntry } from './sse/stream-request.ts'

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
  return scheme ? `${scheme[1]} [redacted]` : '[redacted]'
}

/** The headers with every secret value redacted. */
export function redactHeaders(headers: readonly HeaderEntry[]): HeaderEntry[] {
  return headers.map(([name, value]) => [name, isSecretHeader(name) ? redactValue(value) : value] as const)
}
