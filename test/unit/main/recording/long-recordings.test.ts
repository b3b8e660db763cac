import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import {
  collectRecords,
  decodeRecording,
  deriveRecords,
  RECORDING_ENDS_EARLY,
  RecordingError,
  type StoredRecord,
} from '../../../../shared/recording/recording-format.ts'
import { concatBytes } from '../../../../shared/concat-bytes.ts'
import { createBackend } from '../../../../main/backend/backend.ts'
import { exportParts, importedSession, importToRecording } from '../../../../main/recording/library-files.ts'
import { FileWindow } from '../../../../main/recording/file-window.ts'
import {
  readRecordingFile,
  chunksIn,
  eventsIn,
  readRecordingFileLazily,
  readRecordingStart,
  readWholeFile,
} from '../../../../main/recording/recording-file.ts'

// 200k tiny events (8 bytes each): a long recording in miniature; the caps below are made small to match.
const EVENTS = 200_000
const text = 'data:x\n\n'.repeat(EVENTS)

function recordingFile(): string {
  const { bytes, summary } = importToRecording('tiny.sse', new TextEncoder().encode(text))
  // The import counts as it frames: nothing of the 200k is held to make the summary.
  expect(summary.events).toBe(EVENTS)
  expect(summary.bytes).toBe(text.length)
  const file = join(mkdtempSync(join(tmpdir(), 'sse-long-')), 'tiny.sserec')
  writeFileSync(file, bytes)
  return file
}

test('long recording: read lazily, every record comes, each time it is read, as a whole load has them', () => {
  const file = recordingFile()
  const lazy = readRecordingFileLazily(file)
  const kinds = () => {
    const seen: string[] = []
    for (const record of lazy.records) seen.push(`${record.kind}${record.seq}`)
    return seen
  }
  const first = kinds()
  expect(first.filter((k) => k.startsWith('event'))).toHaveLength(EVENTS)
  expect(kinds()).toEqual(first) // iterable again: framed afresh
  const whole = decodeRecording(new Uint8Array(readFileSync(file)))
  expect(whole.records.map((r) => `${r.kind}${r.seq}`)).toEqual(first)
}, 30_000)

test('long recording: past the cap a load fails with the reason and the way that works', () => {
  const file = recordingFile()
  const lazy = readRecordingFileLazily(file)
  expect(() => deriveRecords(lazy.header.request, lazy.stored, new Set(), 1000)).toThrow(RecordingError)
  expect(() => collectRecords(lazy.records, 1000)).toThrow(
    /^the recording holds more than 1,000 records \(events, chunks…\): too many to load at once; its exports as NDJSON or SSE text, and sse-inspector replay \(printing or serving\), read a recording of any length$/,
  )
  expect(collectRecords(lazy.records, EVENTS * 2).length).toBeGreaterThan(EVENTS)
}, 30_000)

test('long recording: NDJSON and SSE text export whatever the cap; a HAR (one document) refuses past it', () => {
  const lazy = readRecordingFileLazily(recordingFile())
  const decoder = new TextDecoder()
  const ndjson = [...exportParts(lazy, 'ndjson', { maxRecords: 1000 })].map((part) => decoder.decode(part))
  const lines = ndjson.join('').split('\n').filter(Boolean)
  expect(lines).toHaveLength(EVENTS)
  expect(JSON.parse(lines.at(-1)!)).toMatchObject({ kind: 'event', data: 'x' })
  const sse = concatBytes([...exportParts(lazy, 'sse', { maxRecords: 1000 })])
  expect(decoder.decode(sse)).toBe(text)
  expect(() => [...exportParts(lazy, 'har', { maxRecords: 1000 })]).toThrow(/more than 1,000 records/)
  expect([...exportParts(lazy, 'har', { maxRecords: EVENTS * 2 })].length).toBeGreaterThan(0)
}, 30_000)

test('app: a recording over the cap imports, exports and is served; it opens in part, saying so; compared, it may be the first, not the second', async () => {
  const backend = createBackend({
    libraryDir: mkdtempSync(join(tmpdir(), 'sse-long-lib-')),
    maxLoadedRecords: 1000,
  })
  try {
    const summary = await backend.importRecording('tiny.sse', new TextEncoder().encode(text))
    expect(summary.events).toBe(EVENTS)
    // Opened, its first 1,000 records are shown, and the page is told so.
    const events: string[] = []
    const states: string[] = []
    const unsubscribe = backend.subscribe((batch) => {
      for (const push of batch)
        if (push.kind === 'records')
          events.push(...push.records.filter((r) => r.kind === 'event').map((r) => r.kind))
        else if (push.kind === 'state') states.push(`${push.state}: ${push.detail}`)
    })
    const opened = await backend.openRecording(summary.id, { speed: 'instant' })
    // Once replayed, its connection is closed where the part shown ends (not left open).
    await expect
      .poll(() => states.at(-1))
      .toBe('closed: the part of the recording shown ends here; the recording goes on')
    unsubscribe()
    expect(events.length).toBeGreaterThan(990) // the request, open and chunk records are among the 1,000
    expect(opened.notice).toBe(
      `This recording is longer than the viewer holds at once: its first ${events.length} of 200,000 events (0.0 s) are shown. ` +
        'For all of it, export it as NDJSON or SSE text, or serve it (Serve)',
    )
    expect(opened.problems).toEqual([])
    // Compared, the second is held (its events, past 1,000 refused, with the reason: a comparison of a
    // part would mislead); the first is read as it comes, whatever its length.
    await expect(backend.diffRecordings(summary.id, summary.id)).rejects.toThrow(
      /^"tiny.sse" holds more than 1,000 events, too many to hold for a comparison: the second of the two is held, the first \(of any length\) is read as it comes$/,
    )
    const small = await backend.importRecording(
      'small.sse',
      new TextEncoder().encode('data: x\n\n'.repeat(3)),
    )
    const diff = await backend.diffRecordings(summary.id, small.id)
    expect(diff).toMatchObject({
      matchedBy: 'position',
      totals: { missing: EVENTS - 3, extra: 0, changed: 0 },
    })
    expect(diff.missing).toHaveLength(50) // the first of them, as the app shows
    // A HAR (made whole) is refused when it is named, with the reason, not as a failed download.
    await expect(backend.exportRecording(summary.id, 'har')).rejects.toThrow(
      /200,000 events are too many for a HAR file .*export NDJSON or SSE text instead/,
    )
    // Served, it is read once for its events' places (not held whole): every byte goes out as recorded.
    const { url } = await backend.serveRecording(summary.id, {})
    expect(await (await fetch(url)).text()).toBe(text)
    const { parts } = backend.exportFile(summary.id, 'ndjson')
    let lines = 0
    for (const part of parts) for (const byte of part) if (byte === 10) lines++
    expect(lines).toBe(EVENTS)
  } finally {
    await backend.close()
  }
}, 30_000)

test('app: a recording cut short (its recorder stopped) replays to its end and is closed there', async () => {
  const backend = createBackend({ libraryDir: mkdtempSync(join(tmpdir(), 'sse-cut-lib-')) })
  try {
    const { bytes } = importToRecording('short.sse', new TextEncoder().encode('data: a\n\ndata: b\n\n'))
    const whole = new TextDecoder().decode(bytes)
    const cut = whole.slice(0, whole.lastIndexOf('{"kind":"close"')) // the stream's end never written
    const summary = await backend.importRecording('cut.sserec', new TextEncoder().encode(cut))
    const states: string[] = []
    const unsubscribe = backend.subscribe((batch) => {
      for (const push of batch) if (push.kind === 'state') states.push(`${push.state}: ${push.detail}`)
    })
    const opened = await backend.openRecording(summary.id, { speed: 'instant' })
    expect(opened.notice).toBeUndefined()
    await expect.poll(() => states.at(-1)).toBe(`closed: ${RECORDING_ENDS_EARLY}`)
    expect(states[0]).toBe('open: undefined')
    // One that ends with its stream's end is closed by it, as recorded.
    states.length = 0
    const complete = await backend.importRecording('whole.sserec', bytes)
    await backend.openRecording(complete.id, { speed: 'instant' })
    await expect.poll(() => states.at(-1)).toBe('closed: imported from raw text')
    unsubscribe()
  } finally {
    await backend.close()
  }
})

test('a recording’s start: as many records and chunk bytes as a whole load holds, and whether that is all; read in turns', async () => {
  const file = recordingFile()
  let hasOtherWorkRun = false
  setTimeout(() => (hasOtherWorkRun = true), 0)
  const whole = await readRecordingStart(file, EVENTS * 2)
  expect(hasOtherWorkRun).toBe(true) // 400k records take a while: the process went on meanwhile
  expect(whole.isWhole).toBe(true)
  expect(eventsIn(whole.records)).toHaveLength(EVENTS)
  // Its chunks are 64 KiB of 8-byte events: the first, whole with its events, then no more.
  const byBytes = await readRecordingStart(file, EVENTS * 2, 100_000)
  expect(byBytes.isWhole).toBe(false)
  expect(chunksIn(byBytes.records)).toHaveLength(1)
  expect(eventsIn(byBytes.records)).toHaveLength(65536 / 8)
  const byCount = await readRecordingStart(file, 500)
  expect(byCount.isWhole).toBe(false)
  expect(byCount.records).toHaveLength(500)
  expect(byCount.records).toEqual(whole.records.slice(0, 500))
}, 30_000)

test('SSE text imports from a file read a window at a time as it does from memory', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'sse-import-')), 'tiny.sse')
  writeFileSync(file, text)
  const window = new FileWindow(file, 1000)
  try {
    const timeless = (records: Iterable<StoredRecord>) => [...records].map((r) => ({ ...r, atMs: 0 }))
    const fromFile = timeless(importedSession('tiny.sse', window, 'http://x/').stored)
    const fromMemory = timeless(
      importedSession('tiny.sse', new TextEncoder().encode(text), 'http://x/').stored,
    )
    expect(fromFile.filter((r) => r.kind === 'chunk')).toHaveLength(Math.ceil(text.length / 65536))
    expect(fromFile).toEqual(fromMemory)
  } finally {
    window.close()
  }
})

test('a recording file is read in pieces (a read of 2 GiB or more fails): the same bytes, whatever the piece', () => {
  const file = recordingFile()
  const whole = new Uint8Array(readFileSync(file))
  for (const piece of [7, 4096, 1_000_003, whole.length, whole.length + 1]) {
    const read = readWholeFile(file, piece)
    expect(read.length).toBe(whole.length)
    expect(Buffer.compare(read, whole), `pieces of ${piece}`).toBe(0)
  }
  expect(() => readWholeFile(tmpdir())).toThrow('not a file')
}, 30_000)

test('a recording file larger than a whole load takes is refused with the reason; read lazily it goes through', () => {
  const file = recordingFile()
  const size = readFileSync(file).length
  expect(() => readRecordingFile(file, undefined, size - 1)).toThrow(
    new RecordingError(
      `${file} is ${(size / 1024 ** 2).toFixed(1)} MiB: too large to load at once (${((size - 1) / 1024 ** 2).toFixed(1)} MiB at most: its events take as much memory again); its exports as NDJSON or SSE text, and sse-inspector replay (printing or serving), read a recording of any size`,
    ),
  )
  expect(readRecordingFile(file, undefined, size).records.length).toBeGreaterThan(EVENTS)
  expect([...readRecordingFileLazily(file).records].length).toBeGreaterThan(EVENTS)
}, 30_000)
