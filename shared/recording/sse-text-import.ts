import type { RedirectRecord } from '../sse/stream-records.ts'
import type { HeaderEntry, StreamRequest } from '../sse/stream-request.ts'
import type { ImportedSession, ImportSource } from './export-formats.ts'
import type { StoredRecord } from './recording-format.ts'

/** The pieces raw SSE text is imported in: as a socket delivers a stream, not one chunk of it all. */
const IMPORTED_CHUNK_BYTES = 64 * 1024

/** How far into a capture response heads are looked for (curl prints them before the body). */
const HEADS_BYTES = 64 * 1024

/** A response head as `curl -i` prints it before the body. */
export type PrintedHead = { httpVersion: string; status: number; statusText: string; headers: HeaderEntry[] }

// curl prints HTTP/2's as "HTTP/2 200 " (no reason phrase).
const STATUS_LINE = /^HTTP\/(\d(?:\.\d)?) (\d{3})(?: ([^\r\n]*))?\r?$/

/** Whether a capture starts with a response head (`curl -i`), which is not SSE text but says what answered. */
export const startsWithResponseHead = (text: string): boolean => /^HTTP\/\d(?:\.\d)? \d{3}/.test(text)

/**
 * The response heads at the start of a capture as `curl -i` prints them — one per response: a 1xx,
 * each redirect `-L` followed, then the answer — and the byte where the body starts (0: no heads).
 * A head cut short (the capture ends inside it) is not one.
 */
export function printedHeadsOf(start: Uint8Array): { heads: PrintedHead[]; bodyStartByte: number } {
  // One char per byte, so positions are byte offsets; header values are Latin-1, as HTTP clients read them.
  const text = new TextDecoder('latin1').decode(start.subarray(0, HEADS_BYTES))
  const heads: PrintedHead[] = []
  let at = 0
  for (;;) {
    const statusEnd = text.indexOf('\n', at)
    const status = statusEnd === -1 ? null : STATUS_LINE.exec(text.slice(at, statusEnd))
    if (!status) break
    const headers: HeaderEntry[] = []
    let lineStart = statusEnd + 1
    let isWhole = false
    for (
      let lineEnd = text.indexOf('\n', lineStart);
      lineEnd !== -1;
      lineEnd = text.indexOf('\n', lineStart)
    ) {
      const line = text.slice(lineStart, lineEnd).replace(/\r$/, '')
      lineStart = lineEnd + 1
      if (line === '') {
        isWhole = true
        break
      }
      const colon = line.indexOf(':')
      if (colon <= 0) break // not a header line: not a head after all
      headers.push([line.slice(0, colon), line.slice(colon + 1).trim()])
    }
    if (!isWhole) break
    heads.push({ httpVersion: status[1]!, status: Number(status[2]), statusText: status[3] ?? '', headers })
    at = lineStart
  }
  return { heads, bodyStartByte: heads.length > 0 ? at : 0 }
}

const headerOf = (head: PrintedHead, name: string) =>
  head.headers.find(([n]) => n.toLowerCase() === name)?.[1]

/**
 * A session from raw SSE text (as `curl -N` prints it): 64 KiB chunks, no timing. The response heads
 * `curl -i` prints before the body become the response (status, headers) and the redirects it came
 * through, not lines of the stream. Its records are made as they are read (a capture of gigabytes goes
 * to its recording a window at a time).
 */
export function fromSseText(url: string, bytes: ImportSource, atMs: number): ImportedSession {
  const request: StreamRequest = { url, method: 'GET', headers: [] }
  const { heads, bodyStartByte } = printedHeadsOf(bytes.subarray(0, Math.min(bytes.length, HEADS_BYTES)))
  const answer = heads.at(-1)
  const redirects: RedirectRecord[] = []
  let finalUrl = url
  for (const head of heads.slice(0, -1)) {
    const location = headerOf(head, 'location')
    if (head.status < 300 || head.status > 399 || location === undefined) continue // a 100 or 103
    redirects.push({ status: head.status, url: finalUrl, location })
    // Where it led: an absolute Location, or one relative to an http(s) URL the import was given (a file's
    // name is no origin to resolve against).
    const isHttpBase = /^https?:/i.test(finalUrl)
    if (URL.canParse(location, isHttpBase ? finalUrl : undefined))
      finalUrl = new URL(location, isHttpBase ? finalUrl : undefined).href
  }
  function* records(): Generator<StoredRecord> {
    yield { kind: 'request', seq: 0, atMs, attempt: 0, method: 'GET', url, headers: [], hasBody: false }
    yield {
      kind: 'open',
      seq: 1,
      atMs,
      attempt: 0,
      status: answer?.status ?? 200,
      statusText: answer ? answer.statusText : 'OK',
      headers: answer?.headers ?? [['content-type', 'text/event-stream']],
      httpVersion: answer?.httpVersion ?? '1.1',
      url: finalUrl,
      isRedirected: redirects.length > 0,
      ...(redirects.length > 0 ? { redirects } : {}),
      timeToHeadersMs: 0,
    }
    let seq = 2
    for (let start = bodyStartByte; start < bytes.length; start += IMPORTED_CHUNK_BYTES) {
      bytes.release?.(start)
      const piece = bytes.subarray(start, Math.min(bytes.length, start + IMPORTED_CHUNK_BYTES))
      yield { kind: 'chunk', seq: seq++, atMs, attempt: 0, startByte: start - bodyStartByte, bytes: piece }
    }
    yield {
      kind: 'close',
      seq,
      atMs,
      attempt: 0,
      cause: 'eof',
      willReconnect: false,
      message: 'imported from raw text',
    }
  }
  return { request, stored: { [Symbol.iterator]: records } }
}
