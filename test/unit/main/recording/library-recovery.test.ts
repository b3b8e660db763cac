import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawn, spawnSync } from 'node:child_process'
import { expect, test } from 'vitest'
import { eventsIn, readRecordingFile } from '../../../../main/recording/recording-file.ts'
import { importToRecording } from '../../../../main/recording/library-files.ts'
import { SessionLibrary } from '../../../../main/recording/session-library.ts'
import {
  processStartOf,
  type IndexEntry,
  type RecorderOwner,
} from '../../../../main/recording/library-index.ts'
import { useDemoServer } from '../../../support/demo.ts'
import { runCli, spawnCli } from '../../../support/run-cli.ts'

const demo = useDemoServer()

/** Calls the API of a `serve` process (the browser face) as the page does. */
async function call(url: string, token: string, method: string, args: unknown[]): Promise<unknown> {
  const response = await fetch(new URL(`/api/${method}`, url), {
    method: 'POST',
    headers: { 'x-inspector-token': token, 'content-type': 'application/json' },
    body: JSON.stringify(args),
  })
  return ((await response.json()) as { result: unknown }).result
}

/** A `serve` process on a new library folder, killed while it records a stream for `ms`. */
async function recordThenKill(name: string, ms: number): Promise<{ dir: string; pid: number }> {
  const dir = mkdtempSync(join(tmpdir(), `sse-${name}-`))
  const token = `${name}-token`
  const app = spawnCli(['serve', '--port', '0', '--token', token, '--library', dir])
  await app.until('stdout', /is at \S+/)
  const appUrl = /is at (\S+)/.exec(app.output.stdout)![1]!
  await call(appUrl, token, 'connect', [{ url: `${demo.url}/ticker?interval=20` }])
  await new Promise((resolve) => setTimeout(resolve, ms))
  app.child.kill('SIGKILL')
  await app.exited
  return { dir, pid: app.child.pid! }
}

test('library: a recording whose app was killed mid-stream is listed as interrupted, with what its file holds', async () => {
  const { dir } = await recordThenKill('killed-library', 1000)
  // Its index still says "recording" (with the figures of its last save); the file has ~50 events.
  expect(JSON.parse(readFileSync(join(dir, 'library.json'), 'utf8'))).toMatchObject([
    { outcome: 'recording' },
  ])

  const library = new SessionLibrary(dir)
  await library.recovered
  const [entry] = library.list()
  const inFile = eventsIn(readRecordingFile(library.fileOf(entry!.id)!).records).length
  expect(inFile).toBeGreaterThan(20)
  expect(entry).toMatchObject({
    outcome: 'interrupted: its recorder stopped (the app was closed or crashed)',
    events: inFile,
    durationMs: expect.any(Number),
  })
  expect(entry!.durationMs).toBeGreaterThan(500)
  expect(entry!.durationMs).toBeLessThan(2000) // not counting on from its start, as a live one does
  // …and so says the index, for the next start
  expect(JSON.parse(readFileSync(join(dir, 'library.json'), 'utf8'))).toMatchObject([
    { outcome: entry!.outcome, events: inFile },
  ])
})

test('library: a recording whose recorder’s pid now names another process (a restart, pids wrapped round) is interrupted, not live for ever', async () => {
  const { dir, pid } = await recordThenKill('reused-pid', 600)
  const [left] = JSON.parse(readFileSync(join(dir, 'library.json'), 'utf8')) as IndexEntry[]
  expect(left).toMatchObject({
    outcome: 'recording',
    owner: { pid, started: expect.any(String) },
  })
  // Another process, alive, now has the pid the index names.
  const other = spawn('sleep', ['30'])
  await new Promise((resolve) => other.once('spawn', resolve))
  const otherStart = processStartOf(other.pid!)!
  const outcomeWith = async (owner: Partial<RecorderOwner>) => {
    const copy = mkdtempSync(join(tmpdir(), 'sse-reused-pid-copy-'))
    for (const file of readdirSync(dir)) writeFileSync(join(copy, file), readFileSync(join(dir, file)))
    const entry = { ...left!, owner: { ...left!.owner!, pid: other.pid!, ...owner } }
    writeFileSync(join(copy, 'library.json'), JSON.stringify([entry]))
    const library = new SessionLibrary(copy)
    await library.recovered
    return library.list()[0]!.outcome
  }
  try {
    // It started after the recorder: not the recorder (this read as live until the sleep ended).
    expect(await outcomeWith({})).toBe('interrupted: its recorder stopped (the app was closed or crashed)')
    // The machine booted again since (an hour's difference): not the recorder, whatever its start.
    const bootedAtMs = left!.owner!.bootedAtMs! - 3_600_000
    expect(await outcomeWith({ started: otherStart, bootedAtMs })).toMatch(/^interrupted/)
    // The process itself, started when the index says, in this boot: live.
    expect(await outcomeWith({ started: otherStart })).toBe('recording')
  } finally {
    other.kill()
  }
})

test('library: recordings the index does not know (it is damaged, or the files were copied in) are listed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sse-damaged-library-'))
  const file = join(dir, 'copied-in.sserec')
  await runCli(['record', `${demo.url}/ticker?interval=5&count=7`, '--no-reconnect', '-o', file])
  writeFileSync(join(dir, 'notes.sserec'), 'not a recording at all\n')
  // and one cut short before its stream's end (its recorder killed)
  const whole = readFileSync(file, 'utf8')
  writeFileSync(join(dir, 'cut.sserec'), whole.slice(0, whole.lastIndexOf('{"kind":"close"')))
  writeFileSync(join(dir, 'library.json'), '{ damaged')
  const library = new SessionLibrary(dir)
  // Listed at once, saying their figures are being counted (the Library shows "counting…")
  expect(library.list().map((r) => r.isCounting)).toEqual([true, true])
  await library.recovered
  expect(library.list().some((r) => r.isCounting)).toBe(false)
  const byOutcome = (entries: { outcome: string; events: number; tags: string[] }[]) =>
    entries
      .map(({ outcome, events, tags }) => ({ outcome, events, tags }))
      .sort((a, b) => a.outcome.localeCompare(b.outcome))
  expect(byOutcome(library.list())).toEqual([
    { outcome: 'eof', events: 7, tags: ['found'] },
    {
      outcome: 'interrupted: its recorder stopped (the app was closed or crashed)',
      events: 7,
      tags: ['found'],
    },
  ])
  expect(library.list()[0]!.name).toBe(`GET ${demo.url}/ticker?interval=5&count=7`)
  // The unreadable index is kept aside, not written over (it may be another program's library.json)
  const aside = readdirSync(dir).filter((file) => file.startsWith('library.json.unreadable-'))
  expect(aside).toHaveLength(1)
  expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe('{ damaged')
  // Listed once: the next start finds them in the index
  const again = new SessionLibrary(dir)
  await again.recovered
  expect(byOutcome(again.list())).toEqual(byOutcome(library.list()))
})

/** A `serve` process (the browser face) on a library folder, called as its page calls it. */
async function startApp(dir: string) {
  const token = 'shared-library-token'
  const app = spawnCli(['serve', '--port', '0', '--token', token, '--library', dir])
  await app.until('stdout', /is at \S+/)
  const url = /is at (\S+)/.exec(app.output.stdout)![1]!
  const callRaw = async (method: string, args: unknown[]) => {
    const response = await fetch(new URL(`/api/${method}`, url), {
      method: 'POST',
      headers: { 'x-inspector-token': token, 'content-type': 'application/json' },
      body: JSON.stringify(args),
    })
    return (await response.json()) as { result?: unknown; error?: string }
  }
  return {
    app,
    call: (method: string, args: unknown[]) => call(url, token, method, args),
    callRaw,
    list: async () =>
      (await call(url, token, 'listRecordings', [])) as {
        id: string
        name: string
        outcome: string
        events: number
      }[],
  }
}

async function until<T>(read: () => Promise<T>, isDone: (value: T) => boolean): Promise<T> {
  for (let tries = 0; ; tries++) {
    const value = await read()
    if (isDone(value) || tries > 100) return value // else the expectations after it say what is wrong
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

test('library: two apps on one folder see each other’s recordings live, keep each other’s edits, and neither writes over the other', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sse-shared-library-'))
  const a = await startApp(dir)
  const b = await startApp(dir)
  try {
    const { connectionId } = (await a.call('connect', [{ url: `${demo.url}/ticker?interval=20` }])) as {
      connectionId: string
    }
    // B lists A's recording as live (not interrupted), with the figures A saved as it went
    const [live] = await until(b.list, (list) => (list[0]?.events ?? 0) > 0)
    expect(live).toMatchObject({ outcome: 'recording' })
    expect(live!.events).toBeGreaterThan(0)
    // B records too; A's entry is not lost from the index B writes
    await b.call('connect', [
      { url: `${demo.url}/ticker?interval=5&count=4`, reconnect: { isEnabled: false } },
    ])
    const both = await until(
      b.list,
      (list) => list.length === 2 && list.every((r) => r.outcome !== 'recording' || r.id === live!.id),
    )
    expect(both.map((r) => r.outcome).sort()).toEqual(['eof', 'recording'])
    // B renames A's live recording, and cannot delete it from under A's recorder
    await b.call('editRecording', [live!.id, { name: 'renamed by B', notes: 'seen in B' }])
    expect((await b.callRaw('deleteRecording', [live!.id])).error).toMatch(
      /is being recorded by another SSE Inspector \(process \d+\): stop it there/,
    )
    await a.call('disconnect', [connectionId])
    // A's finish keeps B's edit; both list A's final figures and B's recording
    const inA = await until(
      a.list,
      (list) => list.length === 2 && list.every((r) => r.outcome !== 'recording'),
    )
    // B hears of the end once A has closed the file and saved: then the file holds every event.
    const inB = await until(b.list, (list) => list.find((r) => r.id === live!.id)?.outcome === 'aborted')
    const inFile = eventsIn(
      readRecordingFile(
        join(
          dir,
          readdirSync(dir).find((f) => f.endsWith(`${connectionId.slice(0, 8)}.sserec`))!,
        ),
      ).records,
    ).length
    expect(inA.find((r) => r.id === live!.id)).toMatchObject({
      name: 'renamed by B',
      notes: 'seen in B',
      outcome: 'aborted',
      events: inFile,
    })
    expect(inB.find((r) => r.id === live!.id)).toMatchObject({ name: 'renamed by B', events: inFile })
    expect(inB.map((r) => r.id).sort()).toEqual(inA.map((r) => r.id).sort())
    // A deletion in one is a deletion in the other
    await b.call('deleteRecording', [live!.id])
    expect((await a.list()).map((r) => r.id)).toEqual(inB.filter((r) => r.id !== live!.id).map((r) => r.id))
    expect(JSON.parse(readFileSync(join(dir, 'library.json'), 'utf8'))).toHaveLength(1)

    // A recording whose app is killed: the other app lists it as interrupted, counted from its file
    await a.call('connect', [{ url: `${demo.url}/ticker?interval=20` }])
    await until(b.list, (list) => list.some((r) => r.outcome === 'recording'))
    await new Promise((resolve) => setTimeout(resolve, 1000)) // its file holds events
    a.app.child.kill('SIGKILL')
    await a.app.exited
    const afterKill = await until(b.list, (list) =>
      list.some((r) => r.outcome.startsWith('interrupted') && r.events > 0),
    )
    expect(afterKill.find((r) => r.outcome !== 'eof')!.events).toBeGreaterThan(10)
    expect(afterKill.map((r) => r.outcome).sort()).toEqual([
      'eof',
      'interrupted: its recorder stopped (the app was closed or crashed)',
    ])
  } finally {
    a.app.child.kill()
    b.app.child.kill()
  }
})

test('record --in-library: the app lists the recording live while it records, then with its name and figures', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sse-record-library-'))
  const recording = spawnCli([
    'record',
    `${demo.url}/ticker?interval=20`,
    '--library',
    dir,
    '--name',
    'qa: nightly ticker',
    '-n',
    '100',
  ])
  const app = new SessionLibrary(dir) // as the app starts while the CLI records
  const live = await until(
    async () => app.list(),
    (list) => list.length === 1,
  )
  expect(live[0]).toMatchObject({ name: 'qa: nightly ticker', outcome: 'recording', tags: [] })
  expect(await recording.exited).toBe(0)
  expect(recording.output.stderr).toMatch(
    new RegExp(`recorded 100 events in \\d+ chunks \\(\\d+ bytes\\) to ${dir}/\\S+\\.sserec\\n$`),
  )
  const [done] = await until(
    async () => app.list(),
    (list) => list[0]?.outcome !== 'recording',
  )
  const file = app.fileOf(done!.id)!
  expect(done).toMatchObject({ name: 'qa: nightly ticker', outcome: 'aborted', events: 100 })
  expect(eventsIn(readRecordingFile(file).records)).toHaveLength(100)
  expect(recording.output.stderr).toContain(file)
})

test('record: -o and the library are one or the other; the library keeps no secrets', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sse-record-library-usage-'))
  const url = `${demo.url}/ticker?count=1`
  for (const [args, message] of [
    [['--in-library', '-o', join(dir, 'x.sserec')], 'record writes to -o FILE or into the library, not both'],
    [
      ['--library', dir, '--keep-secrets'],
      '--keep-secrets goes with -o FILE: the library names its own files and keeps no secrets',
    ],
    [['--name', 'x', '-o', join(dir, 'x.sserec')], '--name names a recording in the library (--in-library)'],
    [[], 'record needs -o FILE (or --in-library)'],
  ] as const) {
    const run = await runCli(['record', url, ...args])
    expect(run).toMatchObject({ code: 2, stderr: `sse-inspector record: ${message}\n` })
  }
  expect(readdirSync(dir)).toEqual([])
})

test('library: an index edited by hand or damaged in its fields lists what it can, typed as the app takes it, and never names a file outside the folder', async () => {
  const parent = mkdtempSync(join(tmpdir(), 'sse-odd-index-'))
  const dir = join(parent, 'library')
  mkdirSync(dir)
  const outside = join(parent, 'precious.sserec')
  writeFileSync(outside, 'not the library’s')
  await runCli([
    'record',
    `${demo.url}/ticker?interval=5&count=3`,
    '--no-reconnect',
    '-o',
    join(dir, 'ok.sserec'),
  ])
  writeFileSync(
    join(dir, 'library.json'),
    JSON.stringify([
      null,
      42,
      { id: 'outside', file: '../precious.sserec', url: 'http://x/', outcome: 'eof' },
      {
        id: 'odd',
        file: 'ok.sserec',
        url: 'http://x/',
        name: 5,
        tags: 'qa',
        events: '12',
        bytes: -1,
        notes: null,
      },
    ]),
  )
  const library = new SessionLibrary(dir)
  await library.recovered
  const listed = library.list()
  expect(listed).toEqual([
    expect.objectContaining({ id: 'odd', name: 'GET http://x/', tags: [], events: 0, bytes: 0, notes: '' }),
  ])
  expect(library.fileOf('outside')).toBeUndefined()
  library.remove('odd')
  expect(library.list()).toEqual([])
  expect(readFileSync(outside, 'utf8')).toBe('not the library’s')
  // What it could not read is kept aside, as it was: it may be another program's library.json
  const [aside, ...more] = readdirSync(dir).filter((file) => file.startsWith('library.json.unreadable-'))
  expect(more).toEqual([])
  expect(JSON.parse(readFileSync(join(dir, aside!), 'utf8'))).toHaveLength(4)
  expect(readdirSync(dir).filter((file) => file !== aside)).toEqual(['library.json'])
})

test('library: two processes adding and renaming recordings as fast as they can lose none of each other’s entries or names', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sse-hammered-library-'))
  const hammer = (prefix: string) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['test/support/library-hammer.ts', dir, prefix, '150'])
      let stderr = ''
      child.stderr.on('data', (part: Buffer) => (stderr += part.toString()))
      child.on('close', (code) => resolve({ code, stderr }))
    })
  const runs = await Promise.all([hammer('A'), hammer('B')])
  expect(runs).toEqual([
    { code: 0, stderr: '' },
    { code: 0, stderr: '' },
  ])
  const index = JSON.parse(readFileSync(join(dir, 'library.json'), 'utf8')) as { name: string }[]
  expect(index).toHaveLength(300)
  expect(index.filter((entry) => entry.name.endsWith(' renamed'))).toHaveLength(300)
  // Nothing left beside the recordings and the index (temporary files, the lock)
  expect(readdirSync(dir).filter((file) => !file.endsWith('.sserec'))).toEqual(['library.json'])
}, 60_000)

test('library: a folder under /proc is refused at once (Node’s recursive mkdir spins there for ever), by the app and by record', async () => {
  const app = await startApp(mkdtempSync(join(tmpdir(), 'sse-proc-library-')))
  try {
    const answer = await Promise.race([
      app.callRaw('setLibraryLocation', ['/proc/self/no-such-folder']),
      new Promise((resolve) => setTimeout(() => resolve('no answer in 5 s'), 5000)),
    ])
    expect(answer).toEqual({
      error:
        "cannot use /proc/self/no-such-folder: ENOENT: no such file or directory, mkdir '/proc/self/no-such-folder'",
    })
    expect(await app.call('libraryLocation', [])).toMatchObject({
      dir: expect.stringContaining('sse-proc-library-'),
    })
  } finally {
    app.app.child.kill('SIGKILL') // one spinning would never run a SIGTERM handler
  }
  const record = spawnCli(['record', `${demo.url}/ticker`, '--library', '/proc/self/no-such-folder'])
  const timer = setTimeout(() => record.child.kill('SIGKILL'), 5000)
  expect(await record.exited).toBe(2)
  clearTimeout(timer)
  expect(record.output.stderr).toBe(
    "sse-inspector record: cannot record into the library in /proc/self/no-such-folder: ENOENT: no such file or directory, mkdir '/proc/self/no-such-folder'\n",
  )
})

test('library: a lock left by a process killed while holding it is taken at once; a live holder’s is left alone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sse-locked-library-'))
  const library = new SessionLibrary(dir)
  const lock = join(dir, 'library.json.lock')
  const { bytes, summary } = importToRecording('a.sse', new TextEncoder().encode('data: a\n\n'))
  const gone = spawn('true')
  await new Promise((resolve) => gone.on('close', resolve))
  writeFileSync(lock, `${gone.pid} ${hostname()}`)
  library.add('00000000-0000-4000-8000-000000000001', bytes, { ...summary, name: 'after a dead holder' })
  expect(existsSync(lock)).toBe(false) // taken and released
  const holder = spawn('sleep', ['30'])
  try {
    writeFileSync(lock, `${holder.pid} ${hostname()}`)
    library.add('00000000-0000-4000-8000-000000000002', bytes, { ...summary, name: 'beside a live holder' })
    expect(readFileSync(lock, 'utf8')).toBe(`${holder.pid} ${hostname()}`) // waited for, then written beside it
  } finally {
    holder.kill()
  }
  const names = (JSON.parse(readFileSync(join(dir, 'library.json'), 'utf8')) as { name: string }[]).map(
    (e) => e.name,
  )
  expect(names.sort()).toEqual(['after a dead holder', 'beside a live holder'])
})

test('a named pipe called *.sserec (in a library folder, given to replay) is refused as not a file, not waited on for ever', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sse-fifo-library-'))
  const fifo = join(dir, 'stuck.sserec')
  spawnSync('mkfifo', [fifo])
  spawnSync('mkfifo', [join(dir, 'library.json')]) // the index too: reading it waited for ever
  const replay = spawnCli(['replay', fifo])
  const timer = setTimeout(() => replay.child.kill('SIGKILL'), 5000)
  expect(await replay.exited).toBe(1)
  clearTimeout(timer)
  expect(replay.output.stderr).toBe(`sse-inspector replay: cannot read ${fifo}: not a file\n`)
  // An app on that folder lists nothing from it (opening the pipe held the whole backend)
  const app = await startApp(dir)
  try {
    const answer = await Promise.race([
      app.callRaw('listRecordings', []),
      new Promise((resolve) => setTimeout(() => resolve('no answer in 5 s'), 5000)),
    ])
    expect(answer).toEqual({ result: [] })
  } finally {
    app.app.child.kill('SIGKILL')
  }
})
