import { isSecretHeader, redactRequestSecrets } from '../../../shared/redact-headers.ts'
import type { StreamRequest } from '../../../shared/sse/stream-request.ts'

/** Recent and named requests, kept across restarts in local storage. Secret values are never stored. */
export type SavedRequest = { name?: string; request: StreamRequest; savedAtMs: number }

const KEY = 'sse-inspector.requests.v1'
const MAX_RECENT = 20

function withoutSecrets(request: StreamRequest): StreamRequest {
  const redacted = redactRequestSecrets(request)
  return {
    ...redacted,
    transport: redacted.transport && { ...redacted.transport, keyPassphrase: undefined },
    headers: (request.headers ?? []).map(
      ([name, value]) => [name, isSecretHeader(name) ? '' : value] as const,
    ),
  }
}

export function loadRequests(): SavedRequest[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown
    return Array.isArray(parsed)
      ? (parsed as SavedRequest[]).filter((r) => typeof r?.request?.url === 'string')
      : []
  } catch {
    return []
  }
}

function store(requests: SavedRequest[]): SavedRequest[] {
  try {
    localStorage.setItem(KEY, JSON.stringify(requests))
  } catch {
    // Storage full or unavailable: the list just is not kept.
  }
  return requests
}

/** Remembers a request just connected; the newest first, duplicates collapsed, at most 20 unnamed. */
export function rememberRecent(request: StreamRequest): SavedRequest[] {
  const clean = withoutSecrets(request)
  const key = JSON.stringify(clean)
  const all = loadRequests()
  const named = all.filter((r) => r.name)
  const recent = all.filter((r) => !r.name && JSON.stringify(r.request) !== key)
  return store(
    [...named, { request: clean, savedAtMs: Date.now() }, ...recent].slice(0, named.length + MAX_RECENT),
  )
}

/** Saves a request under a name, replacing one of the same name. */
export function saveNamed(name: string, request: StreamRequest): SavedRequest[] {
  const all = loadRequests().filter((r) => r.name !== name)
  return store([{ name, request: withoutSecrets(request), savedAtMs: Date.now() }, ...all])
}
