import { connect } from 'node:net'
import { expect, test } from 'vitest'
import { readBackSession } from '../../support/records.ts'
import { fromSseText, printedHeadsOf } from '../../../shared/recording/sse-text-import.ts'
import type { EventRecord, OpenRecord, StreamRecord } from '../../../shared/sse/stream-records.ts'
import { useDemoServer } from '../../support/demo.ts'

const demo = useDemoServer()
const utf8 = (text: string) => new TextEncoder().encode(text)

/** Imports a capture and reads it back as the app does: the stored records, then what they derive. */
function imported(url: string, capture: Uint8Array): StreamRecord[] {
  const session = fromSseText(url, capture, 1_795_000_000_000)
  const loaded = readBackSession(session)
  expect(loaded.problems).toEqual([])
  return loaded.records as StreamRecord[]
}

const only = <K extends StreamRecord['kind']>(records: StreamRecord[], kind: K) =>
  records.filter((r): r is Extract<StreamRecord, { kind: K }> => r.kind === kind)

test('text import: what `curl -i -L` printed gives the response, its headers and the redirects, not lines of the stream', () => {
  const capture =
    'HTTP/1.1 100 Continue\r\n\r\n' +
    'HTTP/1.1 307 Temporary Redirect\r\nlocation: /ticker?count=2\r\nContent-Length: 0\r\n\r\n' +
    'HTTP/2 200 \r\ncontent-type: text/event-stream; charset=utf-8\r\ncache-control: no-cache\r\n\r\n' +
    'retry: 2000\n\nid: 1\ndata: é\n\nid: 2\ndata: b\n\n'
  const records = imported('http://127.0.0.1:8787/redirect', utf8(capture))
  const open = only(records, 'open')[0] as OpenRecord
  expect(open).toMatchObject({
    status: 200,
    statusText: '',
    httpVersion: '2',
    headers: [
      ['content-type', 'text/event-stream; charset=utf-8'],
      ['cache-control', 'no-cache'],
    ],
    url: 'http://127.0.0.1:8787/ticker?count=2',
    isRedirected: true,
    redirects: [{ status: 307, url: 'http://127.0.0.1:8787/redirect', location: '/ticker?count=2' }],
  })
  expect(only(records, 'warning')).toEqual([])
  expect(only(records, 'event').map((e: EventRecord) => [e.id, e.data, e.startByte])).toEqual([
    ['1', 'é', 13],
    ['2', 'b', 29], // é is two bytes,
  ])
  expect(only(records, 'chunk')[0]!.startByte).toBe(0) // the body's first byte, after the heads
})

test('text import: a redirect relative to no http(s) URL (a file imported by its name) leads nowhere new', () => {
  const capture =
    'HTTP/1.1 302 Found\r\nLocation: /stream\r\n\r\n' +
    'HTTP/1.1 301 Moved Permanently\r\nLocation: https://edge.example.test/stream\r\n\r\n' +
    'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: x\n\n'
  const open = only(imported('file:///capture.txt', utf8(capture)), 'open')[0]!
  expect(open.redirects).toEqual([
    { status: 302, url: 'file:///capture.txt', location: '/stream' },
    { status: 301, url: 'file:///capture.txt', location: 'https://edge.example.test/stream' },
  ])
  expect(open.url).toBe('https://edge.example.test/stream')
})

test('text import: a head cut short, or text that only looks like one, is the stream as it is', () => {
  const cut = printedHeadsOf(utf8('HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n'))
  expect(cut).toEqual({ heads: [], bodyStartByte: 0 })
  const notHeaders = printedHeadsOf(utf8('HTTP/1.1 200 OK\r\nthis is no header\r\n\r\ndata: x\n\n'))
  expect(notHeaders).toEqual({ heads: [], bodyStartByte: 0 })
  const plain = imported('http://x.test/', utf8('data: HTTP/1.1 200 OK\n\n'))
  expect(only(plain, 'open')[0]).toMatchObject({ status: 200, isRedirected: false })
  expect(only(plain, 'event').map((e) => e.data)).toEqual(['HTTP/1.1 200 OK'])
})

test('text import: a raw HTTP capture of the demo ticker imports as the stream it carried', async () => {
  // What `curl -i -N` writes is the response as it came (an HTTP/1.0 request: no chunked encoding).
  const capture = await new Promise<Buffer>((resolve, reject) => {
    const socket = connect(Number(new URL(demo.url).port), '127.0.0.1')
    const parts: Buffer[] = []
    socket.on('data', (part) => parts.push(part))
    socket.on('end', () => resolve(Buffer.concat(parts)))
    socket.on('error', reject)
    socket.write('GET /ticker?count=3&interval=5 HTTP/1.0\r\nAccept: text/event-stream\r\n\r\n')
  })
  expect(capture.toString()).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
  const records = imported(`${demo.url}/ticker?count=3&interval=5`, capture)
  expect(only(records, 'open')[0]).toMatchObject({ status: 200, statusText: 'OK', httpVersion: '1.1' })
  expect(only(records, 'open')[0]!.headers).toContainEqual(['cache-control', 'no-cache, no-transform'])
  expect(only(records, 'warning')).toEqual([])
  expect(only(records, 'event').map((e) => e.id)).toEqual(['1', '2', '3'])
})
