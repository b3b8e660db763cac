import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import type { Push } from '../../../../shared/api.ts'
import { createBackend } from '../../../../main/backend/backend.ts'
import { useDemoServer } from '../../../support/demo.ts'

const demo = useDemoServer()

test('backend: an endless stream keeps only the newest chunk bytes for the raw views', async () => {
  const budget = 256 * 1024
  const backend = createBackend({
    libraryDir: mkdtempSync(join(tmpdir(), 'sse-chunks-')),
    chunkBudgetBytes: budget,
  })
  try {
    const chunkSeqs: number[] = []
    let closed: () => void
    const isClosed = new Promise<void>((resolve) => (closed = resolve))
    backend.subscribe((batch: readonly Push[]) => {
      for (const push of batch) {
        if (push.kind === 'state' && push.state === 'closed') closed()
        if (push.kind === 'records')
          for (const record of push.records) if (record.kind === 'chunk') chunkSeqs.push(record.seq)
      }
    })
    const { connectionId } = await backend.connect(
      { url: `${demo.url}/firehose?count=30000&size=100`, reconnect: { isEnabled: false } },
      { isRecording: false },
    )
    await isClosed
    const kept = await backend.readChunks(connectionId, 0, Number.MAX_SAFE_INTEGER)
    const keptBytes = kept.reduce((sum, chunk) => sum + Buffer.from(chunk.bytesBase64, 'base64').length, 0)
    expect(keptBytes).toBeLessThanOrEqual(budget)
    expect(keptBytes).toBeGreaterThan(budget / 2)
    expect(kept.at(-1)?.seq).toBe(chunkSeqs.at(-1)) // the newest are kept…
    expect(await backend.readChunks(connectionId, chunkSeqs[0]!, chunkSeqs[0]!)).toEqual([]) // …the oldest not
  } finally {
    await backend.close()
  }
})

test('backend: closing a connection stops it and releases its chunk bytes', async () => {
  const backend = createBackend({ libraryDir: mkdtempSync(join(tmpdir(), 'sse-close-')) })
  try {
    const states: string[] = []
    let connectionId = ''
    let isOpen: () => void
    const opened = new Promise<void>((resolve) => (isOpen = resolve))
    backend.subscribe((batch: readonly Push[]) => {
      for (const push of batch)
        if (push.kind === 'state' && push.connectionId === connectionId) {
          states.push(push.state)
          if (push.state === 'open') isOpen()
        }
    })
    ;({ connectionId } = await backend.connect({ url: `${demo.url}/ticker?interval=20` }))
    await opened
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect((await backend.readChunks(connectionId, 0, 1000)).length).toBeGreaterThan(0)
    await backend.closeConnection(connectionId)
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(states.at(-1)).toBe('closed')
    expect(await backend.readChunks(connectionId, 0, 1000)).toEqual([])
    const [recording] = await backend.listRecordings()
    expect(recording?.outcome).toBe('aborted')
  } finally {
    await backend.close()
  }
})

test('backend: stopAll stops every connection and check run (their page is gone), and stays up', async () => {
  const backend = createBackend({ libraryDir: mkdtempSync(join(tmpdir(), 'sse-stop-all-')) })
  try {
    const states = new Map<string, string>()
    const stoppedEarly = new Map<string, boolean>()
    backend.subscribe((batch: readonly Push[]) => {
      for (const push of batch) {
        if (push.kind === 'state') states.set(push.connectionId, push.state)
        if (push.kind === 'check-done') stoppedEarly.set(push.runId, push.isStoppedEarly === true)
      }
    })
    const ticker = { url: `${demo.url}/ticker?interval=20` }
    const { connectionId } = await backend.connect(ticker, { isRecording: false })
    const { runId } = await backend.runChecks(ticker, { durationMs: 60_000 })
    await expect.poll(() => states.get(connectionId)).toBe('open')
    backend.stopAll()
    await expect.poll(() => states.get(connectionId)).toBe('closed')
    await expect.poll(() => stoppedEarly.get(runId)).toBe(true)
    const again = await backend.connect(ticker, { isRecording: false })
    await expect.poll(() => states.get(again.connectionId)).toBe('open')
  } finally {
    await backend.close()
  }
})

test('backend: a library folder that cannot be written does not keep a connection from opening; it says why', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'sse-badlib-')), 'a-file')
  writeFileSync(file, 'not a folder')
  const backend = createBackend({ libraryDir: join(file, 'recordings') })
  try {
    const states = new Map<string, string>()
    backend.subscribe((batch: readonly Push[]) => {
      for (const push of batch) if (push.kind === 'state') states.set(push.connectionId, push.state)
    })
    const result = await backend.connect({
      url: `${demo.url}/ticker?interval=5&count=2`,
      reconnect: { isEnabled: false },
    })
    expect(result.recordingError).toMatch(
      /^Not recorded: the library folder cannot be written \(ENOTDIR: not a directory.*\)\. Choose another folder/,
    )
    await expect.poll(() => states.get(result.connectionId)).toBe('closed')
    const unrecorded = await backend.connect(
      { url: `${demo.url}/ticker?interval=5&count=1`, reconnect: { isEnabled: false } },
      { isRecording: false },
    )
    expect(unrecorded.recordingError).toBeUndefined() // not asked to record: nothing to report
  } finally {
    await backend.close()
  }
})

test('backend: the Library lists a recording without the token its URL carried (nor keeps it on disk)', async () => {
  const libraryDir = mkdtempSync(join(tmpdir(), 'sse-token-'))
  const backend = createBackend({ libraryDir })
  try {
    await backend.connect({
      url: `${demo.url}/ticker?interval=5&count=1&access_token=s3cret-token`,
      reconnect: { isEnabled: false },
    })
    await expect.poll(async () => (await backend.listRecordings())[0]?.outcome).toBe('eof')
    const [recording] = await backend.listRecordings()
    expect(recording!.url).toContain('access_token=')
    expect(JSON.stringify(recording)).not.toContain('s3cret-token')
    for (const file of readdirSync(libraryDir))
      expect(readFileSync(join(libraryDir, file)).includes('s3cret-token'), file).toBe(false)
  } finally {
    await backend.close()
  }
})

test('backend: deleting a recording stops serving it', async () => {
  const backend = createBackend({ libraryDir: mkdtempSync(join(tmpdir(), 'sse-delete-')) })
  try {
    await backend.connect({ url: `${demo.url}/ticker?interval=5&count=2`, reconnect: { isEnabled: false } })
    await expect.poll(async () => (await backend.listRecordings())[0]?.outcome).toBe('eof')
    const [recording] = await backend.listRecordings()
    const { url } = await backend.serveRecording(recording!.id, { speed: 100 })
    expect(await (await fetch(url)).text()).toContain('id: 2')
    const { deleteRecording } = backend // as the faces call it: a function, not a method
    await deleteRecording(recording!.id)
    await expect(fetch(url)).rejects.toThrow('fetch failed') // nothing listens there any more
  } finally {
    await backend.close()
  }
})

test('backend: a recording that cannot be served says why, each time, and leaves nothing to stop or close', async () => {
  const backend = createBackend({ libraryDir: mkdtempSync(join(tmpdir(), 'sse-serve-')) })
  let isClosed = false
  try {
    // A connection refused at once: recorded, with no response to replay.
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo
        server.close(() => resolve(port))
      })
    })
    await backend.connect({ url: `http://127.0.0.1:${closedPort}/`, reconnect: { isEnabled: false } })
    let recordingId: string | undefined
    for (let tries = 0; !recordingId; tries++) {
      if (tries === 100) throw new Error('the refused connection was not recorded in 5 s')
      await new Promise((resolve) => setTimeout(resolve, 50))
      recordingId = (await backend.listRecordings()).find((r) => r.outcome !== 'recording')?.id
    }
    await expect(backend.serveRecording(recordingId, {})).rejects.toThrow('no response to replay')
    await expect(backend.serveRecording(recordingId, {})).rejects.toThrow('no response to replay')
    // What a closing page and a stopping server do: once a failed start made both throw (unhandled there).
    await expect(backend.stopServingRecording(recordingId)).resolves.toBeUndefined()
    await backend.close()
    isClosed = true
  } finally {
    if (!isClosed) await backend.close()
  }
})

test('backend: a library folder removed while a stream records ends that recording, not the process', async () => {
  const libraryDir = mkdtempSync(join(tmpdir(), 'sse-removed-'))
  const backend = createBackend({ libraryDir })
  try {
    let closed: () => void
    const isClosed = new Promise<void>((resolve) => (closed = resolve))
    backend.subscribe((batch: readonly Push[]) => {
      for (const push of batch) if (push.kind === 'state' && push.state === 'closed') closed()
    })
    await backend.connect(
      { url: `${demo.url}/ticker?interval=50&count=3`, reconnect: { isEnabled: false } },
      { isRecording: true },
    )
    rmSync(libraryDir, { recursive: true, force: true })
    await isClosed
    // Its end could not be written to the index (the folder is gone): once that threw, unhandled, and
    // the backend's process ended with every connection it held.
    await expect.poll(async () => (await backend.listRecordings())[0]?.outcome).toBe('eof')
    const { connectionId } = await backend.connect(
      { url: `${demo.url}/ticker?interval=50&count=1`, reconnect: { isEnabled: false } },
      { isRecording: false },
    )
    expect(connectionId).toBeTruthy()
  } finally {
    await backend.close()
  }
})

test('backend: switching the library folder away and back finds a recording still being written there live', async () => {
  const first = mkdtempSync(join(tmpdir(), 'sse-library-a-'))
  const second = mkdtempSync(join(tmpdir(), 'sse-library-b-'))
  const backend = createBackend({ libraryDir: first })
  try {
    const { connectionId } = await backend.connect({ url: `${demo.url}/ticker?interval=20` })
    await new Promise((resolve) => setTimeout(resolve, 300))
    await backend.setLibraryLocation(second)
    expect(await backend.listRecordings()).toEqual([])
    await backend.setLibraryLocation(`${first}/.`) // the same folder, spelt otherwise
    expect(await backend.listRecordings()).toEqual([expect.objectContaining({ outcome: 'recording' })])
    await backend.closeConnection(connectionId)
    await expect.poll(async () => (await backend.listRecordings())[0]?.outcome).toBe('aborted')
    const [entry] = await backend.listRecordings()
    expect(entry!.events).toBeGreaterThan(3)
    // one index, written by the one library that holds it (once the recorder has closed its file: the
    // list says "aborted" at once)
    const onDisk = () =>
      JSON.parse(readFileSync(join(first, 'library.json'), 'utf8')) as { outcome: string }[]
    await expect.poll(() => onDisk()[0]?.outcome).toBe('aborted')
    expect(onDisk()).toMatchObject([{ outcome: 'aborted', events: entry!.events }])
  } finally {
    await backend.close()
  }
})

test('backend: a recording opened while it is still being made ends, for now, saying so (not that its recorder stopped)', async () => {
  const backend = createBackend({ libraryDir: mkdtempSync(join(tmpdir(), 'sse-open-live-')) })
  try {
    const states: string[] = []
    backend.subscribe((batch) => {
      for (const push of batch)
        if (push.kind === 'state') states.push(`${push.connectionId} ${push.state}: ${push.detail}`)
    })
    const live = await backend.connect({ url: `${demo.url}/ticker?interval=20` })
    await expect.poll(async () => (await backend.listRecordings())[0]?.events ?? 0).toBeGreaterThan(0)
    await new Promise((resolve) => setTimeout(resolve, 400)) // its recorder wrote them out
    const [recording] = await backend.listRecordings()
    expect(recording!.outcome).toBe('recording')
    const opened = await backend.openRecording(recording!.id, { speed: 'instant' })
    await expect
      .poll(() => states.filter((s) => s.startsWith(opened.connectionId)).at(-1))
      .toBe(
        `${opened.connectionId} closed: the recording ends here for now: it is still being recorded (open it again for what came since)`,
      )
    await backend.disconnect(live.connectionId)
  } finally {
    await backend.close()
  }
})

test('backend: a CA file, certificate or key that is no file (/dev/zero, a folder) is refused with the reason, not read for ever', async () => {
  const backend = createBackend({ libraryDir: mkdtempSync(join(tmpdir(), 'sse-pem-')) })
  try {
    for (const [transport, what, file] of [
      [{ caFile: '/dev/zero' }, 'CA file', '/dev/zero'],
      [{ certFile: '/dev/urandom' }, 'client certificate', '/dev/urandom'],
      [{ caFile: tmpdir() }, 'CA file', tmpdir()],
    ] as const)
      await expect(backend.connect({ url: 'https://127.0.0.1:9/', transport })).rejects.toThrow(
        `cannot read the ${what} ${file}: it is not a file`,
      )
    expect(await backend.listRecordings()).toEqual([]) // nothing connected, nothing recorded
  } finally {
    await backend.close()
  }
})

test('compare: a recording still being made is compared as far as its stream has come, not as far as it is written', async () => {
  const backend = createBackend({ libraryDir: mkdtempSync(join(tmpdir(), 'sse-live-compare-')) })
  try {
    let events = 0
    backend.subscribe((batch) => {
      for (const push of batch)
        if (push.kind === 'records') events += push.records.filter((r) => r.kind === 'event').length
    })
    await backend.connect({ url: `${demo.url}/ticker?interval=5` })
    await expect.poll(() => events).toBeGreaterThan(30)
    const [live] = await backend.listRecordings()
    expect(live?.outcome).toBe('recording')
    const seen = events
    const diff = await backend.diffRecordings(live!.id, live!.id)
    expect(diff.arrivalDeltaMs.count).toBeGreaterThanOrEqual(seen) // the newest too (the recorder batches writes)
  } finally {
    await backend.close()
  }
})
