import { redactHeaders, redactRequestSecrets, redactUrl } from '../redact-headers.ts'
import type { StreamRequest } from '../sse/stream-request.ts'
import type { StreamRecord } from '../sse/stream-records.ts'
import type { AnnotationRecord, StoredRecord } from './recording-format.ts'

/** The request as a recording keeps it: secret headers, URL tokens, body keys, a proxy's password and a key's passphrase redacted. */
export function redactedRequest(request: StreamRequest): StreamRequest {
  return { ...redactRequestSecrets(request), headers: redactHeaders(request.headers ?? []) }
}

/** A record with its secrets redacted: request and open records carry headers and URLs. */
export function redactedRecord<R extends StreamRecord | AnnotationRecord>(record: R): R {
  return record.kind === 'request' || record.kind === 'open'
    ? { ...record, url: redactUrl(record.url), headers: redactHeaders(record.headers) }
    : record
}

/** A session (a request and its records) with every secret redacted, as recordings and exports keep it. */
export function redactedSession<T extends { request: StreamRequest; stored: StoredRecord[] }>(session: T): T {
  return { ...session, request: redactedRequest(session.request), stored: session.stored.map(redactedRecord) }
}
