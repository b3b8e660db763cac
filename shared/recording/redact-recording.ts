import { redactHeaders, redactRequestSecrets, redactUrl, redactValue } from '../redact-headers.ts'
import type { StreamRequest } from '../sse/stream-request.ts'
import type { StreamRecord } from '../sse/stream-records.ts'
import type { AnnotationRecord, StoredRecord } from './recording-format.ts'

/** The request as a recording keeps it: secret headers, URL tokens, body keys, a proxy's password and a key's passphrase redacted. */
export function redactedRequest(request: StreamRequest): StreamRequest {
  return { ...redactRequestSecrets(request), headers: redactHeaders(request.headers ?? []) }
}

/** A record with its secrets redacted: request and open records carry headers and URLs (and redirects). */
export function redactedRecord<R extends StreamRecord | AnnotationRecord>(record: R): R {
  if (record.kind === 'request')
    return { ...record, url: redactUrl(record.url), headers: redactHeaders(record.headers) }
  if (record.kind !== 'open') return record
  const redirects = record.redirects?.map((hop) => ({
    ...hop,
    url: redactUrl(hop.url),
    location: redactLocation(hop.location, hop.url),
    ...(hop.setCookies ? { setCookies: hop.setCookies.map(redactValue) } : {}),
  }))
  return {
    ...record,
    url: redactUrl(record.url),
    headers: redactHeaders(record.headers),
    ...(redirects ? { redirects } : {}),
  }
}

/** A Location as sent (often relative), its tokens redacted. */
function redactLocation(location: string, base: string): string {
  try {
    const absolute = new URL(location, base).href
    const redacted = redactUrl(absolute)
    return redacted === absolute ? location : redacted
  } catch {
    return location
  }
}

/** A session (a request and its records) with every secret redacted, as recordings and exports keep it. */
export function redactedSession(session: { request: StreamRequest; stored: Iterable<StoredRecord> }): {
  request: StreamRequest
  stored: Iterable<StoredRecord>
} {
  // As they are read: an imported capture's records may be made as they are read, too.
  const stored = {
    *[Symbol.iterator]() {
      for (const record of session.stored) yield redactedRecord(record)
    },
  }
  return { request: redactedRequest(session.request), stored }
}
