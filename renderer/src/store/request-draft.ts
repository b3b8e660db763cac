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
  lastEventId: string
  isReconnectEnabled: boolean
  proxyUrl: string
  isInsecureTls: boolean
  /** Record this connection into the library (on by default). */
  isRecording: boolean
}

export const EMPTY_DRAFT: RequestDraft = {
  url: '',
  method: 'GET',
  headers: [],
  body: '',
  bearerToken: '',
  lastEventId: '',
  isReconnectEnabled: true,
  proxyUrl: '',
  isInsecureTls: false,
  isRecording: true,
}

let nextRowId = 1
export function headerRow(name = '', value = ''): HeaderRow {
  return { id: nextRowId++, isEnabled: true, name, value }
}

/** The request a draft describes. */
export function toStreamRequest(draft: RequestDraft): StreamRequest {
  const headers: HeaderEntry[] = draft.headers
    .filter((row) => row.isEnabled && row.name.trim() !== '')
    .map((row) => [row.name.trim(), row.value] as const)
  const hasAuthorization = headers.some(([name]) => name.toLowerCase() === 'authorization')
  if (draft.bearerToken.trim() && !hasAuthorization)
    headers.push(['Authorization', `Bearer ${draft.bearerToken.trim()}`])
  const hasBody = draft.method !== 'GET' && draft.method !== 'HEAD' && draft.body !== ''
  return {
    url: draft.url.trim(),
    method: draft.method,
    headers,
    body: hasBody ? draft.body : undefined,
    lastEventId: draft.lastEventId || undefined,
    reconnect: { isEnabled: draft.isReconnectEnabled },
    transport: {
      proxyUrl: draft.proxyUrl.trim() || undefined,
      isInsecureTls: draft.isInsecureTls || undefined,
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
    proxyUrl: request.transport?.proxyUrl ?? '',
    isInsecureTls: request.transport?.isInsecureTls ?? false,
  }
}
