import { spawn } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { createBackend } from '../../../../main/backend/backend.ts'
import { nodeStreamDeps } from '../../../../main/net/node-stream-deps.ts'
import { createRecorder } from '../../../../main/recording/recorder.ts'
import {
  exportRecordingParts,
  importedSession,
  importToRecording,
  writeParts,
} from '../../../../main/recording/library-files.ts'
import { SessionLibrary } from '../../../../main/recording/session-library.ts'
import {
  chunksIn,
  eventsIn,
  readRecordingFile,
  readRecordingFileLazily,
  writeRecordingFile,
} from '../../../../main/recording/recording-file.ts'
import { startReplayServer, type ReplayServer } from '../../../../main/servers/replay-server.ts'
import { demoAnswer } from '../../../../main/servers/demo-llm-route.ts'
import { TRICKLE_EVENTS } from '../../../../main/servers/demo-server.ts'
import {
  decodeRecording,
  encodeRecording,
  RECORDING_FORMAT,
  RECORDING_VERSION,
  isStoredKind,
  RecordingError,
} from '../../../../shared/recording/recording-format.ts'
import { openStream } from '../../../../shared/sse/open-stream.ts'
import type { ChunkRecord, EventRecord, StreamRecord } from '../../../../shared/sse/stream-records.ts'
import type { StreamRequest } from '../../../../shared/sse/stream-request.ts'
import { collectStream } from '../../../support/collect-stream.ts'
import { STORM_ANSWER, withOneAnswerServer } from '../../../support/one-answer-server.ts'
import { useDemoServer } from '../../../support/demo.ts'
import { CLI, runCli, spawnCli, startCliServer } from '../../../support/run-cli.ts'

const demo = useDemoServer()
const dir = mkdtempSync(join(tmpdir(), 'recordings-'))
let replay: ReplayServer | undefined
afterEach(async () => {
  await replay?.close()
  replay = undefined
})

/** Streams `request` live, recording it; returns the live records and the file. */
async function recordLive(request: StreamRequest, name: string, options: { keepSecrets?: boolean } = {}) {
  const file = join(dir, name)
  const recorder = createRecorder(file, request, { isKeepingSecrets: options.keepSecrets })
  const { deps, close } = nodeStreamDeps()
  const live: StreamRecord[] = []
  const stream = openStream(request, deps, (records) => {
    live.push(...records)
    recorder.write(records)
  })
  await stream.done
  await recorder.close()
  await close()
  return { file, live }
}

const once = { isEnabled: false }

/** How many of this process's file descriptors are open on `file` (Linux). */
function descriptorsOn(file: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === file
    } catch {
      return false // the descriptor closed while listed
    }
  }).length
}

/**
 * Read lazily, a window of the file at a time (windows as small as a byte), a recording reads as it
 * does whole: the same records, damage skipped the same way, the same problems.
 */
function readAlike(file: string) {
  const whole = readRecordingFile(file)
  for (const windowBytes of [1, 5, 64, 4096, undefined]) {
    const lazy = readRecordingFileLazily(file, windowBytes)
    expect([...lazy.records], `window of ${windowBytes} bytes`).toEqual(whole.records)
    expect(lazy.problems, `window of ${windowBytes} bytes`).toEqual(whole.problems)
    expect([...lazy.stored].length).toBe(whole.records.filter((r) => isStoredKind(r.kind)).length)
  }
  return whole
}

test('recording: loading derives exactly the records the live stream produced', async () => {
  const { file, live } = await recordLive(
    { url: `${demo.url}/trickle?interval=1`, reconnect: once },
    'trickle.rec',
  )
  const loaded = readRecordingFile(file)
  expect(loaded.problems).toEqual([])
  expect(loaded.records).toEqual(live)
  expect(eventsIn(loaded.records).map((e) => e.data)).toEqual(TRICKLE_EVENTS)
})

test('recording: a reconnect storm is warned about again on loading, at the same record', async () => {
  await withOneAnswerServer(STORM_ANSWER, async (url) => {
    const { file, live } = await recordLive(
      { url, reconnect: { isEnabled: true, maxAttempts: 15 } },
      'storm.rec',
    )
    expect(live.filter((r) => r.kind === 'warning' && r.code === 'reconnect-storm')).toHaveLength(1)
    expect(readRecordingFile(file).records).toEqual(live)
  })
})

test('recording: a refused response keeps its body as chunks, and loading does not frame them', async () => {
  // SSE sent as text/plain: framed, its body would turn into events the live stream never had.
  const { file, live } = await recordLive(
    { url: `${demo.url}/wrong-content-type`, reconnect: once },
    'refused.rec',
  )
  expect(chunksIn(live).length).toBeGreaterThan(0)
  const loaded = readRecordingFile(file)
  expect(loaded.records).toEqual(live)
  expect(eventsIn(loaded.records)).toEqual([])
})

test('recording: reconnects, resumed ids, warnings and secrets (headers, URL tokens, key passphrase)', async () => {
  const request: StreamRequest = {
    url: `${demo.url}/ticker?interval=5&count=2&retry=10&access_token=tok-live-secret`,
    headers: [['Authorization', 'Bearer sk-live-secret']],
    reconnect: { isEnabled: true, maxAttempts: 1 },
    transport: { keyPassphrase: 'pass-live-secret' }, // without a client certificate it is not used
  }
  const { file, live } = await recordLive(request, 'ticker.rec')
  const loaded = readRecordingFile(file)
  const redactedUrl = (url: string) => url.replace('tok-live-secret', 'REDACTED')
  expect(loaded.records).toEqual(
    live.map((r) =>
      r.kind === 'request'
        ? {
            ...r,
            url: redactedUrl(r.url),
            headers: r.headers.map(([n, v]) => [n, n === 'Authorization' ? 'Bearer [redacted]' : v]),
          }
        : r.kind === 'open'
          ? { ...r, url: redactedUrl(r.url) }
          : r,
    ),
  )
  expect(loaded.header.request.url).toBe(redactedUrl(request.url))
  expect(loaded.header.request.transport?.keyPassphrase).toBe('[redacted]')
  expect(eventsIn(loaded.records).map((e) => e.id)).toEqual(['1', '2', '3', '4'])
  expect(readFileSync(file, 'utf8')).not.toMatch(/sk-live-secret|tok-live-secret|pass-live-secret/)
  const kept = await recordLive(request, 'ticker-secret.rec', { keepSecrets: true })
  expect(readFileSync(kept.file, 'utf8')).toContain('sk-live-secret')
  expect(readFileSync(kept.file, 'utf8')).toContain('tok-live-secret')
  expect(readFileSync(kept.file, 'utf8')).toContain('pass-live-secret')
})

test('recording: a secret in the request body (JSON) is redacted in the file, the prompt kept', async () => {
  const body = '{"messages":[{"role":"user","content":"hi"}],"stream":true,"api_key":"sk-body-secret"}'
  const request: StreamRequest = {
    url: `${demo.url}/v1/chat/completions?interval=1`,
    method: 'POST',
    headers: [['Authorization', 'Bearer any']],
    body,
    reconnect: once,
  }
  const { file, live } = await recordLive(request, 'body-secret.rec')
  expect(eventsIn(live).length).toBeGreaterThan(1) // the server got the real body and streamed
  const loaded = readRecordingFile(file)
  expect(loaded.header.request.body).toBe(body.replace('sk-body-secret', '[redacted]'))
  expect(readFileSync(file, 'utf8')).not.toContain('sk-body-secret')
  const kept = await recordLive(request, 'body-secret-kept.rec', { keepSecrets: true })
  expect(readRecordingFile(kept.file).header.request.body).toBe(body)
})

test('library import: a recording made with --keep-secrets enters the library redacted; others unchanged', async () => {
  const request: StreamRequest = {
    url: `${demo.url}/ticker?interval=5&count=2&access_token=tok-import-7`,
    headers: [['Authorization', 'Bearer sk-import-7']],
    reconnect: once,
  }
  const kept = await recordLive(request, 'import-kept.rec', { keepSecrets: true })
  const keptBytes = new Uint8Array(readFileSync(kept.file))
  expect(new TextDecoder().decode(keptBytes)).toContain('sk-import-7')
  const imported = importToRecording('import-kept.rec', keptBytes)
  const text = new TextDecoder().decode(imported.bytes)
  expect(text).not.toMatch(/sk-import-7|tok-import-7/)
  expect(text).toContain('Bearer [redacted]')
  expect(imported.summary.events).toBe(2)

  const plain = await recordLive(request, 'import-plain.rec') // redacted as it was recorded
  const plainBytes = new Uint8Array(readFileSync(plain.file))
  expect(importToRecording('import-plain.rec', plainBytes).bytes).toBe(plainBytes)
})

test('recording: a note pinned mid-stream is kept and does not disturb the numbering', async () => {
  const file = join(dir, 'noted.rec')
  const request: StreamRequest = { url: `${demo.url}/ticker?interval=5&count=3`, reconnect: once }
  const recorder = createRecorder(file, request)
  const { deps, close } = nodeStreamDeps()
  const live: StreamRecord[] = []
  let isNoted = false
  const stream = openStream(request, deps, (records) => {
    live.push(...records)
    recorder.write(records)
    if (!isNoted && records.some((r) => r.kind === 'event')) {
      isNoted = true
      recorder.write([{ kind: 'annotation', seq: -1, atMs: Date.now(), attempt: 0, text: 'look here' }])
    }
  })
  await stream.done
  await recorder.close()
  await close()
  const loaded = readRecordingFile(file)
  expect(loaded.records.filter((r) => r.kind === 'annotation')).toEqual([
    expect.objectContaining({ text: 'look here' }),
  ])
  expect(loaded.records.filter((r) => r.kind !== 'annotation')).toEqual(live)
})

test('recording: a damaged header is refused; damage later keeps what came before', () => {
  const good = readFileSync(join(dir, 'trickle.rec'))
  const write = (name: string, bytes: Uint8Array | string) => {
    const file = join(dir, name)
    writeFileSync(file, bytes)
    return file
  }
  expect(() => readRecordingFileLazily(join(dir, 'missing.rec'))).toThrow(/cannot read/)
  const badHeader = Buffer.concat([Buffer.from('{"format":"sse-insp'), good.subarray(30)])
  expect(() => readRecordingFile(write('bad-header.rec', badHeader))).toThrow(RecordingError)
  expect(() => readRecordingFile(write('not-a-recording.rec', 'hello\n'))).toThrow(/not a recording/)
  // A file with no line break early on is refused without reading it through (a 2.4 GB one was read whole).
  const runOn = write('run-on.rec', Buffer.alloc(65 * 1024 * 1024, 'x'))
  const runsPast = 'not a recording, or its header is damaged: its first line runs past 64.0 MiB'
  expect(() => readRecordingFile(runOn)).toThrow(runsPast)
  expect(() => readRecordingFileLazily(runOn)).toThrow(runsPast)
  expect(() => readRecordingFile(join(dir, 'missing.rec'))).toThrow(/cannot read/)
  const fullChunks = chunksIn(readRecordingFile(join(dir, 'trickle.rec')).records).length

  // Cut inside the last chunk's bytes, as a crash mid-write would.
  const lastChunk = good.lastIndexOf('{"kind":"chunk"')
  const lineEnd = good.indexOf('\n', lastChunk)
  const { size } = JSON.parse(good.subarray(lastChunk, lineEnd).toString()) as { size: number }
  expect(size).toBeGreaterThan(0)
  const truncated = readAlike(write('truncated.rec', good.subarray(0, lineEnd + 1 + size - 1)))
  expect(truncated.problems).toEqual([expect.stringMatching(/last chunk is incomplete/)])
  expect(chunksIn(truncated.records).length).toBe(fullChunks - 1)
  const cutLine = readAlike(write('cut-line.rec', good.subarray(0, lastChunk + 20)))
  expect(cutLine.problems).toEqual([expect.stringMatching(/last record is incomplete/)])

  // Damage with nothing readable after it: what came before is kept.
  const second = good.indexOf('{"kind":"chunk"', good.indexOf('{"kind":"chunk"') + 1)
  const tail = readAlike(
    write('bad-tail.rec', Buffer.concat([good.subarray(0, second), Buffer.from('{garbage\n')])),
  )
  expect(tail.problems).toEqual([
    expect.stringMatching(/record \d+ is damaged and nothing after it reads as a record/),
  ])
  expect(chunksIn(tail.records)).toHaveLength(1)
})

test('recording: damage in the middle is skipped; every intact record after it is read and framed as recorded', async () => {
  const { file } = await recordLive(
    { url: `${demo.url}/ticker?interval=2&count=30`, reconnect: once },
    'damaged.rec',
  )
  const good = readFileSync(file)
  const whole = readRecordingFile(file)
  const read = (name: string, bytes: Uint8Array) => {
    const damaged = join(dir, name)
    writeFileSync(damaged, bytes)
    return readAlike(damaged)
  }
  const chunkLines: number[] = []
  for (let at = good.indexOf('{"kind":"chunk"'); at !== -1; at = good.indexOf('{"kind":"chunk"', at + 1))
    chunkLines.push(at)
  const victim = chunkLines[10]!
  const victimEnd = good.indexOf('\n', victim)
  const victimSeq = (JSON.parse(good.subarray(victim, victimEnd).toString()) as { seq: number }).seq

  // A line of junk between two records: nothing is lost.
  const inserted = read(
    'inserted.rec',
    Buffer.concat([good.subarray(0, victim), Buffer.from('{junk\n'), good.subarray(victim)]),
  )
  expect(inserted.problems).toEqual([
    expect.stringMatching(
      /^6 damaged bytes at byte \d+ \(after record \d+\) were skipped; reading went on at the next intact record$/,
    ),
  ])
  expect(inserted.records).toEqual(whole.records)

  // A chunk's line overwritten, or its size changed: that chunk is lost, the rest read and framed as live.
  const overwritten = Buffer.from(good)
  overwritten.fill('x', victim, victimEnd)
  const sizeChanged = Buffer.from(good)
  sizeChanged.write(
    good
      .subarray(victim, victimEnd)
      .toString()
      .replace(/"size":(\d)/, '"size":9'),
    victim,
  )
  for (const [name, bytes] of [
    ['overwritten.rec', overwritten],
    ['size-changed.rec', sizeChanged],
  ] as const) {
    const loaded = read(name, bytes)
    expect(loaded.problems, name).toEqual([
      expect.stringMatching(/damaged bytes at byte \d+ \(after record \d+\) were skipped/),
    ])
    const lost = (r: { kind: string; seq: number }) =>
      r.seq === victimSeq || (r.kind === 'event' && (r as EventRecord).lastChunkSeq === victimSeq)
    const kept = whole.records.filter((r) => !lost(r))
    expect(kept.length, name).toBeLessThan(whole.records.length - 1) // the chunk and its event
    expect(eventsIn(kept).length).toBeGreaterThan(25)
    expect(loaded.records, name).toEqual(kept)
  }
})

test('recording: a line whose fields have the wrong types is damage, skipped; every reader and export goes on', async () => {
  const { file } = await recordLive(
    { url: `${demo.url}/ticker?interval=2&count=5`, headers: [['X-Team', 'qa']], reconnect: once },
    'mistyped.rec',
  )
  const good = readFileSync(file, 'latin1')
  const whole = readRecordingFile(file)
  const lineOf = (kind: string) => {
    const start = good.indexOf(`{"kind":"${kind}"`)
    return good.slice(start, good.indexOf('\n', start))
  }
  // JSON that parses, of the right kind, but not as the app writes it: edited by hand, or damaged.
  for (const [kind, from, to] of [
    ['request', /"headers":\[.*?\]\]/, '"headers":"X-Team: qa"'],
    ['open', /"status":200/, '"status":"200"'],
    ['open', /"httpVersion":"[^"]*"/, '"httpVersion":null'],
    ['close', /"message":"[^"]*"/, '"message":{}'],
    ['chunk', /"atMs":[\d.]+/, '"atMs":1e300'],
  ] as const) {
    const line = lineOf(kind)
    expect(line, kind).toMatch(from)
    const mistyped = join(dir, `mistyped-${kind}.rec`)
    writeFileSync(mistyped, good.replace(line, line.replace(from, to)), 'latin1')
    const what = `${kind}: ${to}`
    const loaded = readAlike(mistyped)
    // Skipped (reading goes on) or, the last line, left out: either way said.
    expect(loaded.problems, what).toEqual([
      expect.stringMatching(/damaged bytes at byte \d+ .*were skipped|record \d+ is damaged/),
    ])
    expect(loaded.records.length, what).toBeLessThan(whole.records.length)
    expect(
      loaded.records.some((r) => r.kind === kind && JSON.stringify(r).includes(to)),
      what,
    ).toBe(false)
    for (const format of ['har', 'ndjson', 'sse'] as const) {
      const text = Buffer.concat([...exportRecordingParts(mistyped, format)]).toString()
      expect(text.length, `${what} as ${format}`).toBeGreaterThan(0)
    }
    const printed = await runCli(['replay', mistyped, '--json'])
    expect(printed.code, what).toBe(0)
    expect(printed.stderr, what).toMatch(/warning: .*damaged/)
  }

  // The header's request is what opening and serving the recording start from: refused when mistyped.
  const header = good.slice(0, good.indexOf('\n'))
  for (const [from, to] of [
    ['"headers":[["X-Team","qa"]]', '"headers":{"X-Team":"qa"}'],
    ['"version":1', '"version":"1"'],
  ] as const) {
    expect(header).toContain(from)
    const damaged = join(dir, 'mistyped-header.rec')
    writeFileSync(damaged, good.replace(header, header.replace(from, to)), 'latin1')
    expect(() => readRecordingFile(damaged), to).toThrow(
      /^not a recording, or its header is damaged: (its request's fields are not as recorded|it has no format version)$/,
    )
  }
})

test('cli: replay and export read a damaged recording as it comes, and warn of the damage once read', async () => {
  const { file } = await recordLive(
    { url: `${demo.url}/ticker?interval=2&count=10`, reconnect: once },
    'cli-damaged.rec',
  )
  const good = readFileSync(file)
  const second = good.indexOf('{"kind":"chunk"', good.indexOf('{"kind":"chunk"') + 1)
  const damaged = join(dir, 'cli-damaged-junk.rec')
  writeFileSync(
    damaged,
    Buffer.concat([good.subarray(0, second), Buffer.from('{junk\n'), good.subarray(second)]),
  )
  const warning = `warning: 6 damaged bytes at byte ${second} (after record 3) were skipped; reading went on at the next intact record\n`

  const replayed = await runCli(['replay', damaged, '--json'])
  expect(replayed.code).toBe(0)
  expect(replayed.stdout.split('\n').filter((line) => line.startsWith('{"kind":"event"'))).toHaveLength(10)
  expect(replayed.stderr).toBe(`sse-inspector replay: ${warning}`)
  const out = join(dir, 'cli-damaged.ndjson')
  const exported = await runCli(['export', damaged, '--format', 'ndjson', '-o', out])
  expect(exported.code).toBe(0)
  expect(exported.stderr).toBe(`sse-inspector export: ${warning}`)
  expect(
    readFileSync(out, 'utf8')
      .split('\n')
      .filter((line) => line.includes('"kind":"event"')),
  ).toHaveLength(10)
})

test('replay server: same events, chunk boundaries and timing as recorded', async () => {
  const { file } = await recordLive({ url: `${demo.url}/trickle?interval=15`, reconnect: once }, 'timed.rec')
  const recorded = readRecordingFile(file)
  replay = await startReplayServer(recorded)
  const replayed = await collectStream({ url: replay.url, reconnect: once })
  expect(replayed.events.map((e) => [e.id, e.data])).toEqual(
    eventsIn(recorded.records).map((e) => [e.id, e.data]),
  )
  const sizes = (records: readonly { kind: string }[]) => chunksIn(records).map((c) => c.bytes.length)
  expect(sizes(replayed.records)).toEqual(sizes(recorded.records))
  // Chunk arrival times, each from its first chunk, agree within a few ms.
  const offsets = (records: readonly { kind: string }[]) => {
    const chunks = chunksIn(records)
    return chunks.map((c) => c.atMs - chunks[0]!.atMs)
  }
  const drift = offsets(replayed.records).map((t, i) => Math.abs(t - offsets(recorded.records)[i]!))
  expect(Math.max(...drift)).toBeLessThan(30)
})

test('replay server: resumes after Last-Event-ID, and injects faults', async () => {
  const { file } = await recordLive(
    { url: `${demo.url}/ticker?interval=5&count=6`, reconnect: once },
    'six.rec',
  )
  replay = await startReplayServer(readRecordingFile(file), { speed: 10 })
  const idsOf = async (query: string, lastEventId?: string) =>
    (await collectStream({ url: `${replay!.url}${query}`, lastEventId, reconnect: once })).events.map(
      (e) => e.id,
    )
  expect(await idsOf('')).toEqual(['1', '2', '3', '4', '5', '6'])
  expect(await idsOf('', '3')).toEqual(['4', '5', '6'])
  expect(await idsOf('?disconnectAfter=2')).toEqual(['1', '2'])
  // Faults count the events sent: after a resume, from the first one sent.
  expect(await idsOf('?disconnectAfter=2', '3')).toEqual(['4', '5'])
  expect(await idsOf('?disconnectAfter=0', '3')).toEqual(['4', '5', '6'])
  expect(await idsOf('?drop=2', '3')).toEqual(['4', '5', '6'])
  expect(await idsOf('?drop=5&duplicate=4', '3')).toEqual(['4', '4', '6'])
  expect(await idsOf('?drop=4')).toEqual(['1', '2', '3', '5', '6'])
  expect(await idsOf('?duplicate=2')).toEqual(['1', '2', '2', '3', '4', '5', '6'])
  const split = await collectStream({ url: `${replay.url}?splitBytes=1`, reconnect: once })
  expect(split.events.map((e) => e.id)).toEqual(['1', '2', '3', '4', '5', '6'])
  expect(chunksIn(split.records).length).toBeGreaterThan(100)
  const stalled = await collectStream({ url: `${replay.url}?stallAfter=3&stallMs=400`, reconnect: once })
  const [third, fourth] = [stalled.events[2]!, stalled.events[3]!]
  expect(fourth.atMs - third.atMs).toBeGreaterThanOrEqual(380)
})

test('replay server: served from the file as it is read, the same bytes as from memory, faults and all; no file left open', async () => {
  // Events cut across chunks (inside CRLF and UTF-8): a duplicate is gathered from several.
  const { file } = await recordLive({ url: `${demo.url}/trickle?interval=2`, reconnect: once }, 'lazy.rec')
  const bodies = async (recording: Parameters<typeof startReplayServer>[0]) => {
    const server = await startReplayServer(recording, { speed: 100 })
    try {
      const texts: string[] = []
      for (const [query, lastEventId] of [
        ['', ''],
        ['?duplicate=2', ''],
        ['?drop=2&disconnectAfter=2', ''],
        ['?duplicate=3', '1'],
      ])
        texts.push(
          await (
            await fetch(`${server.url}${query}`, {
              headers: lastEventId ? { 'last-event-id': lastEventId } : {},
            })
          ).text(),
        )
      return texts
    } finally {
      await server.close()
    }
  }
  const fromMemory = await bodies(readRecordingFile(file))
  expect(fromMemory[1]).toContain('id: 2\r\ndata: 漢字 and emoji 😀\r\n\r\nid: 2\r\n')
  expect(await bodies(readRecordingFileLazily(file, 7))).toEqual(fromMemory)

  // A client that leaves mid-stream leaves no descriptor of the file open.
  const openOnFile = () => descriptorsOn(file)
  replay = await startReplayServer(readRecordingFileLazily(file), { speed: 0.02 })
  const leaving = new AbortController()
  const response = await fetch(replay.url, { signal: leaving.signal })
  await response.body!.getReader().read() // the first bytes came: the file is being read for this client
  expect(openOnFile()).toBe(1)
  leaving.abort()
  await expect.poll(openOnFile).toBe(0)

  // A recording deleted while it is served: the next client is told why (a 500 EventSource gives up on),
  // not sent a 200 cut off.
  const doomed = join(dir, 'doomed.rec')
  writeFileSync(doomed, readFileSync(file))
  const server = await startReplayServer(readRecordingFileLazily(doomed))
  try {
    rmSync(doomed)
    const refused = await fetch(server.url)
    expect(refused.status).toBe(500)
    expect(await refused.text()).toMatch(/^cannot read .*doomed\.rec: ENOENT/)
  } finally {
    await server.close()
  }
})

test('replay server: events are framed only when a request needs where they sit (a resume, a fault), once', async () => {
  const { file } = await recordLive(
    { url: `${demo.url}/ticker?interval=2&count=4`, reconnect: once },
    'marks.rec',
  )
  const lazy = readRecordingFileLazily(file)
  let framings = 0
  const records = {
    *[Symbol.iterator]() {
      framings++
      yield* lazy.records
    },
  }
  replay = await startReplayServer({ stored: lazy.stored, records }, { speed: 50 })
  const ids = async (path: string, lastEventId?: string) => {
    const response = await fetch(`${replay!.url}${path}`, {
      headers: lastEventId ? { 'last-event-id': lastEventId } : {},
    })
    return (await response.text()).match(/^id: \d+/gm)
  }
  expect(await ids('')).toEqual(['id: 1', 'id: 2', 'id: 3', 'id: 4'])
  expect(framings).toBe(0) // served from the stored records alone
  expect(await ids('', '2')).toEqual(['id: 3', 'id: 4'])
  expect(await ids('?drop=3')).toEqual(['id: 1', 'id: 2', 'id: 4'])
  expect(framings).toBe(1)
})

test('export: a write that fails (no such folder) closes the recording it was reading', async () => {
  const { file } = await recordLive(
    { url: `${demo.url}/ticker?interval=2&count=3`, reconnect: once },
    'unsaved.rec',
  )
  for (const format of ['ndjson', 'sse', 'recording'] as const) {
    await expect(
      writeParts(join(dir, 'no-such-folder', 'out'), exportRecordingParts(file, format)),
    ).rejects.toThrow(/ENOENT/)
    expect(descriptorsOn(file), format).toBe(0)
  }
})

test('replay server, looping: the recording plays again from its start (a resume only the first time)', async () => {
  const { file } = await recordLive(
    { url: `${demo.url}/ticker?interval=2&count=3`, reconnect: once },
    'loop.rec',
  )
  replay = await startReplayServer(readRecordingFileLazily(file), { speed: 50, isLooping: true })
  const leaving = new AbortController()
  const response = await fetch(replay.url, { headers: { 'last-event-id': '2' }, signal: leaving.signal })
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  let text = ''
  while ((text.match(/^id: /gm) ?? []).length < 7) text += (await reader.read()).value ?? ''
  leaving.abort()
  expect(text.match(/^id: \d+/gm)!.slice(0, 7)).toEqual([
    'id: 3',
    'id: 1',
    'id: 2',
    'id: 3',
    'id: 1',
    'id: 2',
    'id: 3',
  ])
})

test('replay server, each attempt: the k-th request gets the k-th attempt, breaks and all, then 204', async () => {
  // A flaky origin: an event and a clean end; no answer at all; an event and a broken connection; a 503.
  let requests = 0
  const origin = createServer((request, response) => {
    const n = ++requests
    if (n === 2) return void request.socket.destroy()
    if (n === 4) return void response.writeHead(503, { 'content-type': 'text/plain' }).end('busy')
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    response.write(`id: ${n}\ndata: from attempt ${n}\n\n`)
    if (n === 1) response.end()
    else setTimeout(() => response.socket?.destroy(), 20)
  })
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve))
  const flaky = `http://127.0.0.1:${(origin.address() as AddressInfo).port}/`
  const story = (records: readonly StreamRecord[]) =>
    records.flatMap((r) =>
      r.kind === 'open'
        ? [`open ${r.status}`]
        : r.kind === 'event'
          ? [`event ${r.id} ${r.data}`]
          : r.kind === 'close'
            ? [`close ${r.cause}`]
            : [],
    )
  const reconnect = { isEnabled: true, maxAttempts: 10, initialRetryMs: 10 }
  let recorded: string[]
  let file: string
  try {
    const live = await recordLive({ url: flaky, reconnect }, 'flaky.rec')
    file = live.file
    recorded = story(live.live)
  } finally {
    origin.close()
  }
  expect(recorded).toEqual([
    'open 200',
    'event 1 from attempt 1',
    'close eof',
    'close network',
    'open 200',
    'event 3 from attempt 3',
    'close network',
    'open 503', // a non-200 ends the stream: no reconnect
    'close http-status',
  ])
  replay = await startReplayServer(readRecordingFile(file), { isEachAttempt: true })
  const replayed = await collectStream({ url: replay.url, reconnect })
  expect(story(replayed.records)).toEqual(recorded)
  // The attempts are used up: the next request is told to stop.
  const after = await collectStream({ url: replay.url, reconnect })
  expect(story(after.records)).toEqual(['open 204', 'close no-content'])
})

test('cli: replay prints a recording as watch does: --llm assembles the answer, --data-only and -n', async () => {
  const rec = join(dir, 'llm.rec')
  const body = JSON.stringify({ messages: [{ role: 'user', content: 'replayed' }] })
  const recorded = await runCli([
    'record',
    `${demo.url}/v1/chat/completions`,
    '-H',
    'Authorization: Bearer demo',
    '-d',
    body,
    '--no-reconnect',
    '-o',
    rec,
  ])
  expect(recorded.code).toBe(0)
  const llm = await runCli(['replay', rec, '--llm'])
  expect(llm.stdout).toBe(demoAnswer('replayed').join('') + '\n')
  expect(llm.stderr).toMatch(/^── openai-chat · model demo-model · finish stop/)
  const firstTwo = await runCli(['replay', rec, '--data-only', '-n', '2'])
  const lines = firstTwo.stdout.trim().split('\n')
  expect(lines).toHaveLength(2)
  expect(JSON.parse(lines[1]!)).toMatchObject({ choices: [{ delta: { content: 'You ' } }] })
  // -i and -v print the heads under their lines, as watch does (the recorded token redacted).
  const heads = (await runCli(['replay', rec, '-i', '-v', '-n', '1'])).stdout.split('\n')
  const requestLine = heads.findIndex((line) => / request {3}POST /.test(line))
  expect(heads[requestLine + 1]).toMatch(/^ {24}Accept: text\/event-stream$/)
  expect(heads).toContainEqual(expect.stringMatching(/^ {24}Authorization: Bearer \S*redacted/i))
  const openLine = heads.findIndex((line) => / open {6}200 OK /.test(line))
  expect(heads.slice(openLine + 1, openLine + 4)).toContainEqual(
    expect.stringMatching(/^ {24}content-type: text\/event-stream/i),
  )
  const human = await runCli(['replay', rec, '-n', '1'])
  expect(human.stdout).not.toContain('Accept: text/event-stream')
  expect(human.stdout.match(/event {5}/g)).toHaveLength(1)
  expect(human.stdout).not.toContain('close') // the recording went on; replay -n stops before
  expect(human.stderr).toMatch(
    /^── 1 event \(the first after \d+ ms\), 0 comments, 0 warnings, 0 reconnects · /,
  )
})

test('cli: record -n stops an endless stream after N events; the file ends with that close', async () => {
  const rec = join(dir, 'first-two.rec')
  const recorded = await runCli(['record', `${demo.url}/ticker?interval=20`, '-n', '2', '-o', rec])
  expect(recorded.code).toBe(0)
  // The recording keeps whole network chunks: on a busy machine the chunk that brought the second event
  // may have brought the third too, and it is kept as it came.
  const count = Number(/recorded (\d+) events/.exec(recorded.stderr)?.[1])
  expect(count).toBeGreaterThanOrEqual(2)
  expect(count).toBeLessThan(5)
  const records = (await runCli(['replay', rec, '--json'])).stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { kind: string; message?: string })
  expect(records.filter((r) => r.kind === 'event')).toHaveLength(count)
  expect(records.at(-1)).toMatchObject({ kind: 'close', message: 'stopped after 2 events (-n)' })
})

test('import: a HAR too large to parse is refused with what to do; SSE text of any size is sniffed from its start', () => {
  const har = new TextEncoder().encode(JSON.stringify({ log: { entries: [] } }) + ' '.repeat(4096))
  expect(() => importedSession('huge.har', har, undefined, { maxHarBytes: 1024 })).toThrow(
    /^huge\.har is a 4\.\d KiB JSON file: HAR files up to 1\.0 KiB are read .*import the stream's raw SSE text instead$/,
  )
  // Past the first MiB there is no need to look: the field lines are in the head.
  const text = new TextEncoder().encode('data: one\n\n' + ': pad\n'.repeat(300_000))
  const chunks = [...importedSession('long.sse', text).stored].filter((r) => r.kind === 'chunk')
  expect(chunks).toHaveLength(Math.ceil(text.length / 65536))
})

test('import: SSE text of 300k events comes in 64 KiB chunks and loads whole (as one chunk it overflowed the stack)', () => {
  const count = 300_000
  const lines: string[] = []
  for (let i = 1; i <= count; i++) lines.push(`id: ${i}\ndata: é${i}\n\n`) // é: chunks cut UTF-8 too
  const text = new TextEncoder().encode(lines.join(''))
  const loaded = decodeRecording(importToRecording('many.sse', text).bytes)
  const chunks = chunksIn(loaded.records)
  expect(chunks.every((chunk) => chunk.bytes.length <= 65536)).toBe(true)
  expect(Buffer.concat(chunks.map((chunk) => chunk.bytes)).equals(text)).toBe(true)
  const events = eventsIn(loaded.records)
  expect(events).toHaveLength(count)
  expect(events.at(-1)).toMatchObject({ data: `é${count}`, lastEventId: String(count), endByte: text.length })
  expect(loaded.records.filter((r) => r.kind === 'warning')).toEqual([])
  // A recording an earlier version imported as one chunk loads too.
  const session = importedSession('many.sse', text)
  const request = session.request
  const stored = [...session.stored]
  const [requestRecord, open] = stored
  const close = stored.at(-1)!
  const oneChunk = [
    requestRecord!,
    open!,
    { kind: 'chunk', seq: 2, atMs: open!.atMs, attempt: 0, startByte: 0, bytes: text } as const,
    { ...close, seq: 3 },
  ]
  const header = { format: RECORDING_FORMAT, version: RECORDING_VERSION, createdAtMs: 0, request } as const
  expect(eventsIn(decodeRecording(encodeRecording(header, oneChunk)).records)).toHaveLength(count)
})

test('cli: export and import name an output they cannot write', async () => {
  const text = join(dir, 'one.sse')
  writeFileSync(text, 'data: one\n\n')
  const unwritable = join(dir, 'no-such-dir', 'out')
  const imported = await runCli(['import', text, '-o', unwritable])
  expect(imported.code).toBe(1)
  expect(imported.stderr).toMatch(/^sse-inspector import: cannot write .*no-such-dir\/out: ENOENT/)
  const rec = join(dir, 'one.rec')
  expect((await runCli(['import', text, '-o', rec])).code).toBe(0)
  const exported = await runCli(['export', rec, '--format', 'har', '-o', unwritable])
  expect(exported.code).toBe(1)
  expect(exported.stderr).toMatch(/^sse-inspector export: cannot write .*no-such-dir\/out: ENOENT/)
})

test('import: a write that fails midway leaves the earlier file as it was and no partial one', async () => {
  const file = join(dir, 'replaced.rec')
  writeFileSync(file, 'earlier')
  const header = {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    createdAtMs: 0,
    request: { url: 'http://x.invalid/' },
  } as const
  const chunk = (seq: number, bytes: unknown) =>
    ({ kind: 'chunk', seq, atMs: seq, attempt: 0, startByte: 0, bytes }) as ChunkRecord
  // The second chunk's bytes are not bytes: the write throws after the first went out.
  await expect(
    writeRecordingFile(file, header, [chunk(0, new Uint8Array(1 << 20)), chunk(1, null)]),
  ).rejects.toThrow()
  expect(readFileSync(file, 'utf8')).toBe('earlier')
  expect(existsSync(`${file}.part`)).toBe(false)
  await writeRecordingFile(file, header, [chunk(0, new TextEncoder().encode('data: ok\n\n'))])
  expect(eventsIn(readRecordingFile(file).records).map((e) => e.data)).toEqual(['ok'])
  expect(existsSync(`${file}.part`)).toBe(false)
})

test('cli: record, watch --record, import and export keep an existing file unless --force', async () => {
  const rec = join(dir, 'kept.rec')
  expect((await runCli(['record', `${demo.url}/ticker?interval=5`, '-n', '1', '-o', rec])).code).toBe(0)
  const before = readFileSync(rec)
  const text = join(dir, 'kept.sse')
  writeFileSync(text, 'data: hello\n\n')
  for (const args of [
    ['record', `${demo.url}/ticker?interval=5`, '-n', '3', '-o', rec],
    ['watch', `${demo.url}/ticker?interval=5`, '-n', '3', '--record', rec],
    ['import', text, '-o', rec],
  ]) {
    const refused = await runCli(args)
    expect(refused.code, args[0]).toBe(2)
    expect(refused.stderr).toBe(
      `sse-inspector ${args[0]}: ${rec} already exists: pick another name, or add --force to replace it\n`,
    )
    expect(refused.stdout).toBe('') // refused before connecting
    expect(readFileSync(rec).equals(before)).toBe(true)
  }
  const forced = await runCli(['watch', `${demo.url}/ticker?interval=5`, '-n', '3', '--record', rec, '-f'])
  expect(forced.code).toBe(0)
  expect(eventsIn(readRecordingFile(rec).records)).toHaveLength(3)
  expect((await runCli(['import', text, '-o', rec, '--force'])).code).toBe(0)
  expect(eventsIn(readRecordingFile(rec).records).map((e) => e.data)).toEqual(['hello'])
}, 60_000) // eight CLI runs: on a busy machine past the 20 s default

test('cli: export and import never write onto the file they read, by any name, even with --force', async () => {
  const rec = join(dir, 'itself.rec')
  expect((await runCli(['record', `${demo.url}/ticker?interval=5`, '-n', '2', '-o', rec])).code).toBe(0)
  const before = readFileSync(rec)
  const link = join(dir, 'itself-link.rec')
  symlinkSync(rec, link)
  for (const [args, output] of [
    [['export', rec, '--format', 'ndjson', '-o', rec, '--force'], rec],
    [['export', rec, '--format', 'sse', '-o', link, '--force'], link],
    [
      ['import', rec, '-o', join(dir, '..', basename(dir), 'itself.rec'), '--force'],
      join(dir, '..', basename(dir), 'itself.rec'),
    ],
  ] as const) {
    const refused = await runCli([...args])
    expect(refused).toMatchObject({
      code: 2,
      stderr: `sse-inspector ${args[0]}: -o ${output} is the file being read: pick another name\n`,
    })
  }
  expect(readFileSync(rec).equals(before)).toBe(true) // export --force onto itself replaced it with NDJSON
})

test('cli: record, replay --json, replay --serve then watch it, export HAR and import it back', async () => {
  const rec = join(dir, 'cli.rec')
  const recorded = await runCli([
    'record',
    `${demo.url}/ticker?interval=5&count=3`,
    '--no-reconnect',
    '-o',
    rec,
  ])
  expect(recorded.code).toBe(0)
  expect(recorded.stderr).toMatch(/recorded 3 events/)
  const printed = await runCli(['replay', rec, '--json'])
  const events = printed.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { kind: string; id?: string })
    .filter((r) => r.kind === 'event')
  expect(events.map((e) => e.id)).toEqual(['1', '2', '3'])

  const server = spawn(process.execPath, [CLI, 'replay', rec, '--serve', '--port', '0'])
  try {
    const url = await new Promise<string>((resolve) => {
      let out = ''
      server.stdout.on('data', (part: Buffer) => {
        out += part.toString()
        const match = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)
        if (match) resolve(match[1]!)
      })
    })
    const watched = await runCli(['watch', url, '--no-reconnect', '--json'])
    const ids = watched.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; id?: string })
      .filter((r) => r.kind === 'event')
      .map((r) => r.id)
    expect(ids).toEqual(['1', '2', '3'])
  } finally {
    server.kill('SIGINT')
  }

  const har = join(dir, 'cli.har')
  expect((await runCli(['export', rec, '--format', 'har', '-o', har])).code).toBe(0)
  const harJson = JSON.parse(readFileSync(har, 'utf8')) as {
    log: {
      version: string
      entries: { serverIPAddress?: string; _eventSourceMessages: { id: string; data: string }[] }[]
    }
  }
  expect(harJson.log.version).toBe('1.2')
  expect(harJson.log.entries[0]!.serverIPAddress).toBe('127.0.0.1') // where the recorded connection went
  expect(harJson.log.entries[0]!._eventSourceMessages.map((m) => m.id)).toEqual(['1', '2', '3'])
  const back = join(dir, 'from-har.rec')
  expect((await runCli(['import', har, '-o', back])).code).toBe(0)
  expect(eventsIn(readRecordingFile(back).records).map((e) => [e.id, e.type, e.data])).toEqual(
    eventsIn(readRecordingFile(rec).records).map((e) => [e.id, e.type, e.data]),
  )

  const sse = join(dir, 'cli.sse')
  expect((await runCli(['export', rec, '--format', 'sse', '-o', sse])).code).toBe(0)
  expect(readFileSync(sse, 'utf8')).toMatch(/^retry: 2000\n\nid: 1\nevent: tick\ndata: /)
  const fromText = join(dir, 'from-sse.rec')
  expect((await runCli(['import', sse, '-o', fromText, '--url', 'http://example.test/s'])).code).toBe(0)
  expect(eventsIn(readRecordingFile(fromText).records).map((e) => e.data)).toEqual(
    eventsIn(readRecordingFile(rec).records).map((e) => e.data),
  )
  // - is standard input (curl -sN URL | sse-inspector import - -o x.rec): the same recording.
  const piped = spawnCli(['import', '-', '-o', join(dir, 'from-stdin.rec'), '--url', 'http://example.test/s'])
  piped.child.stdin.end(readFileSync(sse))
  expect(await piped.exited, piped.output.stderr).toBe(0)
  expect(readRecordingFile(join(dir, 'from-stdin.rec')).records.filter((r) => r.kind !== 'chunk')).toEqual(
    readRecordingFile(fromText)
      .records.filter((r) => r.kind !== 'chunk')
      .map((r) => ({ ...r, atMs: expect.any(Number) })),
  )
  // A recording is not imported: it is one already.
  const again = await runCli(['import', rec, '-o', join(dir, 'again.rec')])
  expect(again.code).toBe(1)
  expect(again.stderr).toBe(
    `sse-inspector import: ${rec} is already a recording: replay, export or open it as it is\n`,
  )

  const ndjson = join(dir, 'cli.ndjson')
  expect((await runCli(['export', rec, '--format', 'ndjson', '-o', ndjson])).code).toBe(0)
  expect(readFileSync(ndjson, 'utf8').trim().split('\n')).toHaveLength(3)

  // -o - is standard output (it made a file named "-"); a recording itself is never written there.
  for (const [format, file] of [
    ['sse', sse],
    ['ndjson', ndjson],
  ] as const) {
    const toStdout = await runCli(['export', rec, '--format', format, '-o', '-'])
    expect(toStdout.code).toBe(0)
    expect(toStdout.stdout).toBe(readFileSync(file, 'utf8'))
  }
  expect(existsSync('-')).toBe(false)
  for (const args of [
    ['record', `${demo.url}/ticker`, '-n', '1', '-o', '-'],
    ['import', sse, '-o', '-'],
    ['watch', `${demo.url}/ticker`, '-n', '1', '--record', '-'],
  ]) {
    const refused = await runCli(args)
    expect(refused.code, args.join(' ')).toBe(2)
    expect(refused.stderr).toMatch(/'-' is standard output, where no recording is written: name a file/)
  }
})

/** Records the demo's /incomplete over three attempts: each response ends inside an event. */
async function recordThreeCutAttempts(name: string): Promise<string> {
  const rec = join(dir, name)
  const args = ['record', `${demo.url}/incomplete`, '--retry-ms', '10', '--max-reconnects', '2', '-o', rec]
  const recorded = await runCli(args)
  expect(recorded.code, recorded.stderr).toBe(0) // each response ended; no more reconnects left
  return rec
}

test('cli: SSE export of attempts cut mid-event imports back as the same events, none merged', async () => {
  const rec = await recordThreeCutAttempts('cut.rec')
  const events = eventsIn(readRecordingFile(rec).records).map((e) => [e.type, e.data])
  expect(events).toEqual([
    ['message', 'complete'],
    ['message', 'complete'],
    ['message', 'complete'],
  ])
  const sse = join(dir, 'cut.sse')
  expect((await runCli(['export', rec, '--format', 'sse', '-o', sse])).code).toBe(0)
  expect(readFileSync(sse, 'utf8')).toMatch(
    /^data: complete\n\n: sse-inspector: the connection ended here, inside a block that never dispatched; [^\n]+\ndata: complete\n\n: sse-inspector: /,
  )
  const back = join(dir, 'cut-back.rec')
  expect((await runCli(['import', sse, '-o', back, '--url', 'http://example.test/s'])).code).toBe(0)
  expect(eventsIn(readRecordingFile(back).records).map((e) => [e.type, e.data])).toEqual(events)
})

test('cli: replay --serve --each-attempt replays a reconnect story, then tells the client to stop', async () => {
  const rec = await recordThreeCutAttempts('story.rec')
  const server = await startCliServer(
    ['replay', rec, '--serve', '--port', '0', '--each-attempt'],
    /at (http:\/\/127\.0\.0\.1:\d+\/) \(speed 1x, each attempt in turn\)/,
  )
  try {
    const run = await runCli(['watch', server.url, '--retry-ms', '10', '--json'])
    expect(run.code).toBe(0) // the 204 after the three attempts stops it
    const records = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; data?: string; cause?: string })
    expect(records.filter((r) => r.kind === 'event').map((r) => r.data)).toEqual([
      'complete',
      'complete',
      'complete',
    ])
    expect(records.filter((r) => r.kind === 'close').map((r) => r.cause)).toEqual([
      'eof',
      'eof',
      'eof',
      'no-content',
    ])
  } finally {
    server.stop()
  }
})

test('cli: an LLM request recorded, exported to HAR and imported back keeps its prompt (postData)', async () => {
  const prompt = '{"messages":[{"role":"user","content":"What is SSE?"}],"stream":true}'
  const rec = join(dir, 'llm-prompt.rec')
  const recorded = await runCli([
    'record',
    `${demo.url}/v1/chat/completions`,
    '-H',
    'Authorization: Bearer sk-test',
    '-H',
    'Content-Type: application/json',
    '-d',
    prompt,
    '--no-reconnect',
    '-o',
    rec,
  ])
  expect(recorded.code, recorded.stderr).toBe(0)
  expect(recorded.stderr).toMatch(/^recorded 21 events in \d+ chunks \(\d+ bytes\)/)
  const har = join(dir, 'llm-prompt.har')
  expect((await runCli(['export', rec, '--format', 'har', '-o', har])).code).toBe(0)
  const entry = (
    JSON.parse(readFileSync(har, 'utf8')) as {
      log: { entries: { request: { postData?: { mimeType: string; text: string } } }[] }
    }
  ).log.entries[0]!
  expect(entry.request.postData).toEqual({ mimeType: 'application/json', text: prompt })
  const back = join(dir, 'llm-prompt-back.rec')
  expect((await runCli(['import', har, '-o', back])).code).toBe(0)
  const reloaded = readRecordingFile(back)
  expect(reloaded.header.request.body).toBe(prompt)
  expect(eventsIn(reloaded.records).map((e) => e.data)).toEqual(
    eventsIn(readRecordingFile(rec).records).map((e) => e.data),
  )
})

test('cli: HAR export and import redact secrets (headers, URL tokens, body keys) unless --keep-secrets', async () => {
  const prompt = '{"messages":[{"role":"user","content":"hi"}],"stream":true,"api_key":"sk-body-9"}'
  const rec = join(dir, 'secrets-kept.rec')
  const recorded = await runCli([
    'record',
    `${demo.url}/v1/chat/completions?access_token=tok-url-9`,
    '-H',
    'Authorization: Bearer sk-header-9',
    '-H',
    'Cookie: session=cookie-9',
    '-d',
    prompt,
    '--no-reconnect',
    '--keep-secrets',
    '-o',
    rec,
  ])
  expect(recorded.code, recorded.stderr).toBe(0)
  const secrets = /sk-body-9|tok-url-9|sk-header-9|cookie-9/
  expect(readFileSync(rec, 'utf8')).toMatch(secrets) // the user asked to keep them there

  const har = join(dir, 'secrets.har')
  expect((await runCli(['export', rec, '--format', 'har', '-o', har])).code).toBe(0)
  const exported = readFileSync(har, 'utf8')
  expect(exported).not.toMatch(secrets)
  expect(exported).toContain('Bearer [redacted]')
  const entry = (JSON.parse(exported) as { log: { entries: { request: { postData: { text: string } } }[] } })
    .log.entries[0]!
  expect(JSON.parse(entry.request.postData.text)).toMatchObject({ api_key: '[redacted]', stream: true })
  const harKept = join(dir, 'secrets-kept.har')
  expect((await runCli(['export', rec, '--format', 'har', '-o', harKept, '--keep-secrets'])).code).toBe(0)
  const kept = readFileSync(harKept, 'utf8')
  for (const secret of ['sk-body-9', 'tok-url-9', 'sk-header-9', 'cookie-9']) expect(kept).toContain(secret)

  // A browser's HAR holds cookies and tokens: the recording made from it does not, unless asked.
  const imported = join(dir, 'from-secret.har.rec')
  expect((await runCli(['import', harKept, '-o', imported])).code).toBe(0)
  expect(readFileSync(imported, 'utf8')).not.toMatch(secrets)
  expect(eventsIn(readRecordingFile(imported).records).length).toBeGreaterThan(1)
  const importedKept = join(dir, 'from-secret-kept.har.rec')
  expect((await runCli(['import', harKept, '-o', importedKept, '--keep-secrets'])).code).toBe(0)
  expect(readRecordingFile(importedKept).header.request.body).toBe(prompt)
})

test('cli import: an image, prose, broken JSON or an empty file is refused with the reason, and nothing is written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sse-import-'))
  const prose = join(dir, 'notes.txt')
  writeFileSync(prose, '# Notes\n\nThe stream was slow today.\nRetry later.\n')
  const json = join(dir, 'broken.har')
  writeFileSync(json, '{"log": {"entries": [')
  const heartbeats = join(dir, 'heartbeats.sse')
  writeFileSync(heartbeats, ': ping\n\n: ping\n\n') // comments only: still an SSE capture
  const empty = join(dir, 'empty.txt')
  writeFileSync(empty, '')
  const cases: [string, RegExp][] = [
    ['build/icon.png', /icon\.png is not a recording, a HAR file or SSE text: it is binary/],
    [
      prose,
      /notes\.txt is not a recording, a HAR file or SSE text: no line in it is a data, event, id or retry field/,
    ],
    [json, /broken\.har is not valid JSON, so not a HAR file/],
    [empty, /empty\.txt is empty: there is nothing to import/],
  ]
  for (const [file, message] of cases) {
    const out = join(dir, 'out.rec')
    const run = await runCli(['import', file, '-o', out])
    expect(run.code, file).toBe(1)
    expect(run.stderr).toMatch(message)
    expect(existsSync(out)).toBe(false)
  }
  expect((await runCli(['import', heartbeats, '-o', join(dir, 'beats.rec')])).code).toBe(0)
})

test('cli diff: missing, extra and changed events, matched by id', async () => {
  const a = join(dir, 'diff-a.rec')
  const b = join(dir, 'diff-b.rec')
  const sseA = join(dir, 'a.sse')
  const sseB = join(dir, 'b.sse')
  writeFileSync(sseA, 'id: 1\ndata: one\n\nid: 2\ndata: two\n\nid: 3\ndata: three\n\n')
  writeFileSync(sseB, 'id: 1\ndata: one\n\nid: 3\ndata: THREE\n\nid: 4\ndata: four\n\n')
  await runCli(['import', sseA, '-o', a])
  await runCli(['import', sseB, '-o', b])
  const run = await runCli(['diff', a, b, '--json'])
  expect(run.code).toBe(1)
  const diff = JSON.parse(run.stdout) as {
    matchedBy: string
    missing: { id: string }[]
    extra: { id: string }[]
    changed: { key: string }[]
  }
  expect(diff.matchedBy).toBe('id')
  expect(diff.missing.map((e) => e.id)).toEqual(['2'])
  expect(diff.extra.map((e) => e.id)).toEqual(['4'])
  expect(diff.changed.map((c) => c.key)).toEqual(['3'])
  expect((await runCli(['diff', a, a])).code).toBe(0)
  // of the two files, the one that is no recording is named
  expect(await runCli(['diff', a, sseB])).toMatchObject({
    code: 2,
    stderr: `sse-inspector diff: ${sseB}: not a recording, or its header is damaged: the first line is not JSON\n`,
  })
  expect(await runCli(['diff', sseB, a])).toMatchObject({
    code: 2,
    stderr: `sse-inspector diff: ${sseB}: not a recording, or its header is damaged: the first line is not JSON\n`,
  })
  // Many differences: the first 20 of a kind are listed, all are counted (--json lists every one).
  const many = join(dir, 'many.rec')
  writeFileSync(sseB, Array.from({ length: 30 }, (_, i) => `id: ${i + 10}\ndata: x\n\n`).join(''))
  await runCli(['import', sseB, '-o', many, '-f'])
  const counted = await runCli(['diff', a, many])
  expect(counted.stdout).toContain('matched by id: 3 missing in B, 30 extra in B, 0 changed')
  expect(counted.stdout.match(/^\+ extra /gm)).toHaveLength(20)
  const listed = JSON.parse((await runCli(['diff', a, many, '--json'])).stdout) as { extra: unknown[] }
  expect(listed.extra).toHaveLength(30)
})

test('cli diff --ignore: two runs of an LLM stream differ in generated ids; ignored, they are the same', async () => {
  const record = async (name: string) => {
    const file = join(dir, name)
    const run = await runCli([
      'record',
      `${demo.url}/v1/chat/completions`,
      '-H',
      'Authorization: Bearer demo',
      '-d',
      '{"messages":[{"role":"user","content":"same question"}]}',
      '--no-reconnect',
      '-o',
      file,
    ])
    expect(run.code, run.stderr).toBe(0)
    return file
  }
  const [first, second] = [await record('llm-1.rec'), await record('llm-2.rec')]
  const plain = await runCli(['diff', first, second])
  expect(plain.code).toBe(1)
  expect(plain.stdout).toMatch(/^~ changed 0: id "chatcmpl-demo-\w+" → "chatcmpl-demo-\w+"/m)
  const ignoring = await runCli(['diff', first, second, '--ignore', 'id', '--ignore', 'created'])
  expect(ignoring.stdout).toMatch(
    / 0 changed \(\d+ more events differ only in ignored fields or JSON formatting\)/,
  )
  expect(ignoring.code).toBe(0)
})

test('recording: SIGKILL mid-stream at the firehose rate leaves a file that opens, missing at most ~250 ms', async () => {
  const file = join(dir, 'killed.rec')
  const child = spawn(process.execPath, [
    CLI,
    'record',
    `${demo.url}/firehose?count=100000000`,
    '--no-reconnect',
    '-o',
    file,
  ])
  await new Promise((resolve) => setTimeout(resolve, 1500))
  const killedAtMs = Date.now()
  child.kill('SIGKILL')
  await new Promise((resolve) => child.once('exit', resolve))
  // Read as it is framed: 1.5 s of the firehose is millions of events, more than a whole load holds.
  const loaded = readRecordingFileLazily(file)
  expect(loaded.problems.length).toBeLessThanOrEqual(1)
  let [chunks, events, lastChunkAtMs] = [0, 0, 0]
  for (const record of loaded.records) {
    if (record.kind === 'event') events++
    else if (record.kind === 'chunk') [chunks, lastChunkAtMs] = [chunks + 1, record.atMs]
  }
  expect(chunks).toBeGreaterThan(10)
  expect(events).toBeGreaterThan(1000)
  const lostMs = killedAtMs - lastChunkAtMs
  console.log(`SIGKILL test: the file ends ${lostMs.toFixed(0)} ms before the kill`)
  expect(lostMs).toBeLessThan(250)
})

test('recording: a file that takes not even the header (a full disk) is refused at once', () => {
  // /dev/full refuses every write with ENOSPC. (A disk that fills up mid-stream: recording-failure.test.ts.)
  expect(() => createRecorder('/dev/full', { url: `${demo.url}/ticker` })).toThrow(/ENOSPC/)
})

test('library: an index an older version wrote with a token in a URL is redacted when the library opens', () => {
  const libraryDir = mkdtempSync(join(tmpdir(), 'sse-old-index-'))
  const url = 'http://127.0.0.1:8787/ticker?access_token=s3cret-token'
  writeFileSync(join(libraryDir, 'old.sserec'), '')
  writeFileSync(
    join(libraryDir, 'library.json'),
    JSON.stringify([
      {
        id: 'old',
        file: 'old.sserec',
        name: `GET ${url}`,
        url,
        method: 'GET',
        startedAtMs: 0,
        durationMs: 0,
        events: 0,
        bytes: 0,
        outcome: 'eof',
        notes: '',
        tags: [],
      },
    ]),
  )
  const [entry] = new SessionLibrary(libraryDir).list()
  expect(entry).toMatchObject({
    name: expect.stringContaining('access_token='),
    url: expect.stringContaining('access_token='),
  })
  expect(JSON.stringify(entry)).not.toContain('s3cret-token')
  expect(readFileSync(join(libraryDir, 'library.json'), 'utf8')).not.toContain('s3cret-token')
})

test('cli: a refused response recorded is replayed as it came: its status, headers and body', async () => {
  const rec = join(dir, 'unauthorized.rec')
  const recorded = await runCli(['record', `${demo.url}/v1/chat/completions`, '-d', '{}', '-o', rec])
  expect(recorded.code).toBe(1) // a 401 is a failure
  expect(recorded.stderr).toMatch(/^recorded 0 events in 1 chunk \(\d+ bytes\)/) // English, and the body kept
  const server = await startCliServer(
    ['replay', rec, '--serve', '--port', '0'],
    /at (http:\/\/127\.0\.0\.1:\d+\/)/,
  )
  try {
    const response = await fetch(server.url)
    expect(response.status).toBe(401)
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(await response.json()).toEqual({
      error: { message: 'missing bearer token', type: 'invalid_request_error' },
    })
  } finally {
    server.stop()
  }
})

/** Polls `read` until `isDone` says so (or 100 tries), and returns what it read last. */
async function until<T>(read: () => Promise<T>, isDone: (value: T) => boolean): Promise<T> {
  for (let tries = 0; ; tries++) {
    const value = await read()
    if (isDone(value) || tries > 100) return value
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

test('backend importFile: a file on disk is imported as it is read (SSE text, a recording with secrets), its figures counted after', async () => {
  const libraryDir = mkdtempSync(join(tmpdir(), 'sse-import-file-'))
  const backend = createBackend({ libraryDir })
  const libraryText = () =>
    readdirSync(libraryDir)
      .filter((f) => f.endsWith('.sserec'))
      .map((f) => readFileSync(join(libraryDir, f), 'utf8'))
      .join('')
  try {
    // 60 MB of SSE text (450k events): written to the library and counted in turns, the backend
    // answering meanwhile (the list says it is being counted).
    const sse = join(dir, 'big.sse')
    const event = (i: number) => `id: ${i}\ndata: {"seq":${i},"pad":"${'x'.repeat(100)}"}\n\n`
    writeFileSync(sse, Array.from({ length: 450_000 }, (_, i) => event(i + 1)).join(''))
    const importing = backend.importFile('big.sse', sse)
    const meanwhile = await until(
      () => backend.listRecordings(),
      (list) => list.length > 0,
    )
    expect(meanwhile[0]).toMatchObject({ name: 'big.sse', isCounting: true })
    const summary = await importing
    expect(summary).toMatchObject({ name: 'big.sse', tags: ['imported'], events: 450_000, outcome: 'eof' })
    expect(summary.isCounting).toBeUndefined()
    const [file] = readdirSync(libraryDir).filter((f) => f.endsWith('.sserec'))
    const events = readRecordingFile(join(libraryDir, file!)).records.filter((r) => r.kind === 'event')
    expect(events.at(-1)).toMatchObject({ id: '450000', data: expect.stringContaining('"seq":450000') })

    // A recording made with --keep-secrets comes in redacted, as importRecording does.
    const request: StreamRequest = {
      url: `${demo.url}/ticker?interval=5&count=2&access_token=tok-file-9`,
      headers: [['Authorization', 'Bearer sk-file-9']],
      reconnect: once,
    }
    const kept = await recordLive(request, 'file-kept.rec', { keepSecrets: true })
    expect(readFileSync(kept.file, 'utf8')).toContain('sk-file-9')
    expect(await backend.importFile('file-kept.rec', kept.file)).toMatchObject({ events: 2 })
    expect(libraryText()).not.toMatch(/sk-file-9|tok-file-9/)
    expect(libraryText()).toContain('Bearer [redacted]')

    // Neither a recording, a HAR nor SSE text: refused with the reason, nothing added or left behind.
    const image = join(dir, 'image.png')
    writeFileSync(image, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]))
    await expect(backend.importFile('image.png', image)).rejects.toThrow(/cannot import image\.png: .*binary/)
    expect(await backend.listRecordings()).toHaveLength(2)
    expect(readdirSync(libraryDir).filter((f) => f.endsWith('.part'))).toEqual([])
  } finally {
    await backend.close()
  }
})
