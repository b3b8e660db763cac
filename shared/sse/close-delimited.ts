import type { HeaderEntry } from './stream-request.ts'
import { headerValue } from './request-headers.ts'

/**
 * Whether a response body ends only when its connection closes (RFC 9112 §6.3): HTTP/1 with neither
 * a Content-Length nor chunked transfer coding. Nothing then marks the end, so a cut that closes the
 * connection cleanly reads as the server ending it (a reset can still be heard on the socket).
 */
export function isCloseDelimited(httpVersion: string, headers: readonly HeaderEntry[]): boolean {
  return (
    httpVersion !== '2' &&
    headerValue(headers, 'content-length') === undefined &&
    !/chunked/i.test(headerValue(headers, 'transfer-encoding') ?? '')
  )
}
