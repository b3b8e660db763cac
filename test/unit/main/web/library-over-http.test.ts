import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { DIFF_PREVIEW_LIMIT, type EventDiffPreview } from '../../../../shared/recording/diff-recordings.ts'
import { createBackend, type Backend } from '../../../../main/backend/backend.ts'
import { startWebServer, type WebServer } from '../../../../main/web/web-server.ts'
import { useDemoServer } from '../../../support/demo.ts'

const demo = useDemoServer()
const TOKEN = 'export-download-token'
const EVENTS = 3000
const SIZE = 1000 // bytes an event: 3 MB of stream, an NDJSON export of several parts
let libraryDir: string
let backend: Backend
let server: WebServer
let base: string
let recordingId: string

beforeAll(async () => {
  libraryDir = mkdtempSync(join(tmpdir(), 'sse-export-'))
  backend = createBackend({ libraryDir })
  server = await startWebServer({ backend, staticDir: tmpdir(), token: TOKEN })
  base = `http://127.0.0.1:${server.port}`
  await backend.connect({
    url: `${demo.url}/firehose?count=${EVENTS}&size=${SIZE}`,
    reconnect: { isEnabled: false },
  })
  for (let tries = 0; (await backend.listRecordings())[0]?.outcome !== 'eof'; tries++) {
    if (tries === 200) throw new Error('the firehose was not recorded to its end in 10 s')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  recordingId = (await backend.listRecordings())[0]!.id
})

afterAll(async () => {
  await server?.close()
  await backend?.close()
})

const download = (query: Record<string, string>, init?: RequestInit) =>
  fetch(`${base}/api/export?${new URLSearchParams(query)}`, init)

/** The firehose's frames, as its demo endpoint writes them. */
function firehoseText(): string {
  let text = ''
  for (let n = 1; n <= EVENTS; n++) {
    const head = `id: ${n}\ndata: {"seq":${n},"pad":"`
    const tail = '"}\n\n'
    text += head + 'x'.repeat(SIZE - head.length - tail.length) + tail
  }
  return text
}

test('export download: the recording file byte for byte, named by the exportRecording call', async () => {
  const { fileName } = (await backend.exportRecording(recordingId, 'recording'))!
  expect(fileName).toMatch(/\.sserec$/)
  const response = await download({ recording: recordingId, format: 'recording', token: TOKEN })
  expect(response.status).toBe(200)
  expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${fileName}"`)
  const [onDisk] = readdirSync(libraryDir).filter((file) => file.endsWith('.sserec'))
  expect(Buffer.from(await response.arrayBuffer()).equals(readFileSync(join(libraryDir, onDisk!)))).toBe(true)
})

test('export download: raw SSE text is what the server sent; NDJSON has one line an event', async () => {
  const sse = await download({ recording: recordingId, format: 'sse', token: TOKEN })
  expect(sse.headers.get('content-type')).toBe('text/event-stream')
  expect(await sse.text()).toBe(firehoseText())

  const ndjson = await download({ recording: recordingId, format: 'ndjson', token: TOKEN })
  expect(ndjson.headers.get('content-disposition')).toMatch(/filename=".+\.ndjson"$/)
  const lines = (await ndjson.text()).trimEnd().split('\n')
  expect(lines).toHaveLength(EVENTS)
  const last = JSON.parse(lines.at(-1)!) as { kind: string; lastEventId: string; data: string }
  expect(last).toMatchObject({ kind: 'event', lastEventId: String(EVENTS) })
  expect(JSON.parse(last.data)).toMatchObject({ seq: EVENTS })
})

test('export download: the desktop save writes the same bytes as the download', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'sse-save-')), 'saved.har')
  await backend.saveExport(recordingId, 'har', path)
  const response = await download({ recording: recordingId, format: 'har', token: TOKEN })
  const har = Buffer.from(await response.arrayBuffer())
  expect(readFileSync(path).equals(har)).toBe(true)
  const entries = (JSON.parse(har.toString('utf8')) as { log: { entries: { _eventSourceMessages: [] }[] } })
    .log.entries
  expect(entries[0]!._eventSourceMessages).toHaveLength(EVENTS)
})

test('export: the desktop save refuses the recording itself as the place to save (it would destroy it)', async () => {
  const recordings = readdirSync(libraryDir).filter((file) => file.endsWith('.sserec'))
  expect(recordings).toHaveLength(1) // the firehose's, recordingId
  const file = join(libraryDir, recordings[0]!)
  const before = readFileSync(file)
  await expect(backend.saveExport(recordingId, 'ndjson', file)).rejects.toThrow(
    `${file} is the recording itself: save the export under another name`,
  )
  expect(readFileSync(file).equals(before)).toBe(true)
})

test('export download: refused without the token, for a recording that is not there, or a wrong format', async () => {
  const noToken = await download({ recording: recordingId, format: 'sse' })
  expect(noToken.status).toBe(401)
  const missing = await download({ recording: 'no-such-id', format: 'sse', token: TOKEN })
  expect(missing.status).toBe(400)
  expect(await missing.json()).toEqual({ error: 'no such recording' })
  await expect(backend.exportRecording('no-such-id', 'sse')).rejects.toThrow('no such recording')
  const wrongFormat = await download({ recording: recordingId, format: 'pdf', token: TOKEN })
  expect(wrongFormat.status).toBe(400)
  expect((await wrongFormat.json()) as { error: string }).toMatchObject({
    error: expect.stringMatching(/format/),
  })
})

test('export download: a client that leaves mid-download does not hold the server up', async () => {
  const controller = new AbortController()
  const response = await download(
    { recording: recordingId, format: 'ndjson', token: TOKEN },
    { signal: controller.signal },
  )
  const reader = response.body!.getReader()
  await reader.read()
  controller.abort()
  const again = await download({ recording: recordingId, format: 'sse', token: TOKEN })
  expect((await again.text()).length).toBe(EVENTS * SIZE)
})

test('import upload: the file goes as the raw body, named in the query; base64 in JSON is refused', async () => {
  const text = 'id: 1\ndata: é one\n\nid: 2\ndata: two\n\n'
  const response = await fetch(`${base}/api/importRecording?name=${encodeURIComponent('two events.sse')}`, {
    method: 'POST',
    headers: { 'x-inspector-token': TOKEN, 'content-type': 'application/octet-stream' },
    body: new TextEncoder().encode(text),
  })
  expect(response.status).toBe(200)
  const { result } = (await response.json()) as { result: { id: string; name: string; events: number } }
  expect(result).toMatchObject({ name: 'two events.sse', events: 2 })
  // Exported as SSE text again, it is the file imported.
  const exported = await download({ recording: result.id, format: 'sse', token: TOKEN })
  expect(await exported.text()).toBe(text)

  const asJson = await fetch(`${base}/api/importRecording`, {
    method: 'POST',
    headers: { 'x-inspector-token': TOKEN, 'content-type': 'application/json' },
    body: JSON.stringify(['x.sse', Buffer.from(text).toString('base64')]),
  })
  expect(asJson.status).toBe(400)
  expect(await asJson.json()).toEqual({ error: 'the file must be bytes' })

  // The upload is spooled in the library folder, and gone after, imported or refused.
  const binary = await fetch(`${base}/api/importRecording?name=shot.png`, {
    method: 'POST',
    headers: { 'x-inspector-token': TOKEN, 'content-type': 'application/octet-stream' },
    body: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]),
  })
  expect(binary.status).toBe(400)
  expect(((await binary.json()) as { error: string }).error).toMatch(/^cannot import shot\.png: .*binary/)
  expect(readdirSync(libraryDir).filter((f) => f.startsWith('.upload-'))).toEqual([])
})

test('diff over HTTP: two runs that differ throughout give the totals and the first entries, not every one', async () => {
  // The same ids, every event's data 10 bytes longer: 3000 changed events of ~1 KB each side.
  const url = `${demo.url}/firehose?count=${EVENTS}&size=${SIZE + 10}`
  await backend.connect({ url, reconnect: { isEnabled: false } })
  let other: string | undefined
  for (let tries = 0; !other; tries++) {
    if (tries === 200) throw new Error('the second firehose was not recorded to its end in 10 s')
    await new Promise((resolve) => setTimeout(resolve, 50))
    other = (await backend.listRecordings()).find((r) => r.url === url && r.outcome === 'eof')?.id
  }
  const response = await fetch(`${base}/api/diffRecordings`, {
    method: 'POST',
    headers: { 'x-inspector-token': TOKEN, 'content-type': 'application/json' },
    body: JSON.stringify([recordingId, other, []]),
  })
  const text = await response.text()
  const { result } = JSON.parse(text) as { result: EventDiffPreview }
  expect(result.totals).toEqual({ missing: 0, extra: 0, changed: EVENTS })
  expect(result.changed).toHaveLength(DIFF_PREVIEW_LIMIT)
  expect(result.changed[0]!.key).toBe('1')
  expect(result.changed[0]!.a.data.length).toBeLessThanOrEqual(200)
  expect(result.changed[0]!.fields?.[0]?.path).toBe('pad')
  expect(result.arrivalDeltaMs.count).toBe(EVENTS)
  // Every entry in full would be megabytes here (221 MB for two 500k-event runs).
  expect(text.length).toBeLessThan(100_000)
})
