import { expect, test } from 'vitest'
import { harJsonParts, toHar, toNdjsonParts, toSseBytes } from '../../../shared/recording/export-formats.ts'
import { fromHar } from '../../../shared/recording/har-import.ts'
import { fromSseText } from '../../../shared/recording/sse-text-import.ts'
import { deriveRecords } from '../../../shared/recording/recording-format.ts'
import type { EventRecord, StreamRecord } from '../../../shared/sse/stream-records.ts'

const sse = 'id: 1\ndata: {"choices":[{"delta":{"content":"Hi"}}]}\n\ndata: [DONE]\n\n'
const harOf = (content: object, postData?: object) => ({
  log: {
    entries: [
      {
        startedDateTime: '2026-11-26T10:00:00.000Z',
        request: {
          method: 'POST',
          url: 'https://api.example.test/v1/chat/completions',
          headers: [{ name: 'Content-Type', value: 'application/json' }],
          ...(postData ? { postData } : {}),
        },
        response: {
          status: 200,
          headers: [{ name: 'content-type', value: 'text/event-stream' }],
          content,
        },
      },
    ],
  },
})

test('HAR import: a fetch-streamed body (base64, as browsers save it) and the request body it was sent', () => {
  const prompt = '{"messages":[{"role":"user","content":"hi"}],"stream":true}'
  const session = fromHar(
    harOf(
      { mimeType: 'text/event-stream', encoding: 'base64', text: btoa(sse) },
      { mimeType: 'application/json', text: prompt },
    ),
  )
  expect(session.request).toMatchObject({ method: 'POST', body: prompt })
  expect([...session.stored][0]).toMatchObject({ kind: 'request', hasBody: true })
  const events = deriveRecords(session.request, session.stored).filter(
    (r): r is EventRecord => r.kind === 'event',
  )
  expect(events.map((e) => e.data)).toEqual(['{"choices":[{"delta":{"content":"Hi"}}]}', '[DONE]'])
})

test('HAR export: the request body goes out as postData, and comes back in on import', () => {
  const prompt = '{"messages":[],"stream":true}'
  const session = fromHar(harOf({ mimeType: 'text/event-stream', text: sse }, { text: prompt }))
  const records = deriveRecords(session.request, session.stored) as StreamRecord[]
  const har = toHar(records, '0.0.0', session.request) as unknown as {
    log: { entries: { request: { postData?: { mimeType: string; text: string }; bodySize: number } }[] }
  }
  expect(har.log.entries[0]!.request.postData).toEqual({ mimeType: 'application/json', text: prompt })
  expect(har.log.entries[0]!.request.bodySize).toBe(prompt.length)
  expect(fromHar(har).request.body).toBe(prompt)
  // Without the request, or for a GET, there is no postData.
  expect((toHar(records, '0.0.0') as unknown as typeof har).log.entries[0]!.request.postData).toBeUndefined()
})

test('SSE export: the bodies of the attempts that streamed, not a refused one (an error page is not SSE)', () => {
  const utf8 = (text: string) => new TextEncoder().encode(text)
  const records: StreamRecord[] = [
    { kind: 'chunk', seq: 1, atMs: 1, attempt: 0, bytes: utf8('id: 1\ndata: a\n\n'), startByte: 0 },
    {
      kind: 'close',
      seq: 2,
      atMs: 2,
      attempt: 0,
      cause: 'eof',
      willReconnect: true,
      message: 'the server ended the response',
    },
    { kind: 'chunk', seq: 3, atMs: 3, attempt: 1, bytes: utf8('id: 2\ndata: b\n\n'), startByte: 0 },
    { kind: 'chunk', seq: 4, atMs: 4, attempt: 2, bytes: utf8('{"error":"rate limited"}'), startByte: 0 },
    { kind: 'error', seq: 5, atMs: 5, attempt: 2, code: 'http-status', message: '429 Too Many Requests' },
  ]
  expect(new TextDecoder().decode(toSseBytes(records))).toBe('id: 1\ndata: a\n\nid: 2\ndata: b\n\n')
})

test('HAR and NDJSON export in parts: together they read as the whole would (no one string of it all)', () => {
  const session = fromHar(harOf({ mimeType: 'text/event-stream', text: sse }))
  const records = deriveRecords(session.request, session.stored) as StreamRecord[]
  const har = toHar(records, '0.0.0', session.request)
  const parts = [...harJsonParts(har)]
  expect(parts.length).toBeGreaterThan(3) // around the messages, and the messages apart
  expect(JSON.parse(parts.join(''))).toEqual(JSON.parse(JSON.stringify(har)))
  const events = records.filter((r) => r.kind === 'event')
  expect([...toNdjsonParts(records)].join('')).toBe(events.map((e) => JSON.stringify(e) + '\n').join(''))
})

test('an import numbers its records as a live session does: seqs only grow, and each event names chunks that are there', () => {
  // A HAR of EventSource messages (a chunk each) and SSE text of several 64 KiB chunks: their stored
  // records are numbered one after another, the events framed from them come between.
  const messages = ['a', 'b', 'c'].map((data, i) => ({ type: 'message', id: String(i + 1), data, time: i }))
  const har = harOf({ mimeType: 'text/event-stream', text: '' })
  ;(har.log.entries[0] as Record<string, unknown>)._eventSourceMessages = messages
  const text = Array.from({ length: 3000 }, (_, i) => `id: ${i}\ndata: ${'x'.repeat(60)}\n\n`).join('')
  for (const session of [fromHar(har), fromSseText('file:///big.sse', new TextEncoder().encode(text), 0)]) {
    const records = deriveRecords(session.request, session.stored)
    const seqs = records.map((r) => r.seq)
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y))
    expect(new Set(seqs).size).toBe(seqs.length)
    const chunkSeqs = new Set(records.filter((r) => r.kind === 'chunk').map((r) => r.seq))
    const events = records.filter((r): r is EventRecord => r.kind === 'event')
    expect(events.length).toBeGreaterThanOrEqual(3)
    for (const event of events) {
      expect(chunkSeqs.has(event.firstChunkSeq)).toBe(true)
      expect(chunkSeqs.has(event.lastChunkSeq)).toBe(true)
    }
    expect(records.at(-1)!.kind).toBe('close')
  }
})
