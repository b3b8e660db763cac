// A recording of gigabytes through everything that reads one whole file: printing, exporting, importing
// and serving it. Each runs in a process of its own, so its peak RSS is its own (read from the kernel).
import '../main/runtime/small-young-generation.ts' // first: sizes the heap before anything else loads
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { exportCommand, importCommand } from '../main/cli/export-command.ts'
import { replayCommand } from '../main/cli/replay-command.ts'
import { createBackend } from '../main/backend/backend.ts'
import { readRecordingFileLazily } from '../main/recording/recording-file.ts'
import { startReplayServer } from '../main/servers/replay-server.ts'
import { startDemoProcess } from './demo-process.ts'

const CLI = resolve('bin/sse-inspector.js')
const full = process.argv.includes('--full')
const EVENTS = full ? 5_000_000 : 2_000_000
const EVENT_BYTES = 480
/** What a reading of any size may take at most: a window of the file, the records in flight, the runtime. */
const MAX_RSS_MB = 512

type Scenario =
  | 'print'
  | 'export-sse'
  | 'export-ndjson'
  | 'import'
  | 'app-import'
  | 'app-import-recording'
  | 'serve'
  | 'serve-resume'
  | 'app-compare'
type Figures = { ms: number; maxRssMb: number; detail?: string }

/** Runs one scenario in this process (a child of the bench) and reports its figures on stderr. */
async function runScenario(scenario: Scenario, dir: string): Promise<void> {
  const file = join(dir, 'large.sserec')
  const start = performance.now()
  let detail: string | undefined
  if (scenario === 'print') await replayCommand([file, '--json'])
  else if (scenario === 'export-sse')
    await exportCommand([file, '--format', 'sse', '-o', join(dir, 'large.sse'), '--force'])
  else if (scenario === 'export-ndjson')
    await exportCommand([file, '--format', 'ndjson', '-o', join(dir, 'large.ndjson'), '--force'])
  else if (scenario === 'import')
    await importCommand([join(dir, 'large.sse'), '-o', join(dir, 'imported.sserec'), '--force'])
  else if (scenario === 'app-import' || scenario === 'app-import-recording') {
    // The app's Import… (a dropped file): into a library, written and counted in turns.
    const backend = createBackend({ libraryDir: mkdtempSync(join(dir, 'library-')) })
    const source = scenario === 'app-import' ? 'large.sse' : 'large.sserec'
    const summary = await backend.importFile(source, join(dir, source))
    detail = `${summary.events.toLocaleString('en')} events counted`
    await backend.close()
  } else if (scenario === 'app-compare') {
    // The Library's Compare of the recording and a copy of it (every event matched by id, none differing).
    const library = mkdtempSync(join(dir, 'library-'))
    const backend = createBackend({ libraryDir: library })
    const a = await backend.importFile('a.sserec', file)
    const b = await backend.importFile('b.sserec', file)
    const begin = performance.now()
    const diff = await backend.diffRecordings(a.id, b.id)
    detail = `the comparison alone ${((performance.now() - begin) / 1000).toFixed(1)} s: ${diff.arrivalDeltaMs.count.toLocaleString('en')} events matched by ${diff.matchedBy}, ${diff.totals.changed} changed`
    await backend.close()
    rmSync(library, { recursive: true, force: true })
  } else {
    const server = await startReplayServer(readRecordingFileLazily(file), { speed: 1000 })
    const readyMs = performance.now() - start
    const timed = async (headers: Record<string, string>) => {
      const begin = performance.now()
      const response = await fetch(server.url, { headers })
      let bytes = 0
      for await (const part of response.body!) bytes += (part as Uint8Array).length
      return { ms: performance.now() - begin, bytes }
    }
    if (scenario === 'serve') {
      const whole = await timed({})
      detail = `ready after ${(readyMs / 1000).toFixed(1)} s; the whole body at 1000× in ${(whole.ms / 1000).toFixed(1)} s (${(whole.bytes / 1e6).toFixed(0)} MB)`
    } else {
      const resumed = await timed({ 'last-event-id': String(EVENTS - 10) })
      detail = `a resume 10 events from the end: ${(resumed.ms / 1000).toFixed(1)} s (where events sit is framed once, then kept)`
    }
    await server.close()
  }
  const figures: Figures = {
    ms: performance.now() - start,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    detail,
  }
  process.stderr.write(`FIGURES ${JSON.stringify(figures)}\n`)
}

function measure(scenario: Scenario, dir: string): Figures {
  const result = spawnSync(process.execPath, [process.argv[1]!, '--scenario', scenario, '--dir', dir], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  })
  const line = /^FIGURES (.*)$/m.exec(result.stderr)
  if (!line) throw new Error(`${scenario} reported nothing: ${result.stderr}`)
  return JSON.parse(line[1]!) as Figures
}

const scenarioIndex = process.argv.indexOf('--scenario')
if (scenarioIndex !== -1) {
  await runScenario(
    process.argv[scenarioIndex + 1] as Scenario,
    process.argv[process.argv.indexOf('--dir') + 1]!,
  )
} else {
  const dir = mkdtempSync(join(tmpdir(), 'large-rec-bench-'))
  const demo = await startDemoProcess()
  try {
    const file = join(dir, 'large.sserec')
    const url = `${demo.url}/firehose?count=${EVENTS}&size=${EVENT_BYTES}`
    const recorded = spawnSync(process.execPath, [CLI, 'record', url, '-o', file, '--no-reconnect'], {
      stdio: 'ignore',
    })
    if (recorded.status !== 0) throw new Error('recording the firehose failed')
    const size = statSync(file).size
    console.log(
      `large recording: ${EVENTS.toLocaleString('en')} events of ~${EVENT_BYTES} B, a ${(size / 1e6).toFixed(0)} MB file${full ? '' : ' (--full: 5M events, 2.4 GB)'}; each reading in its own process`,
    )
    const rows: [string, Scenario][] = [
      ['print (replay --json)', 'print'],
      ['export as SSE text', 'export-sse'],
      ['export as NDJSON', 'export-ndjson'],
      ['import the SSE text', 'import'],
      ['app: import the SSE text', 'app-import'],
      ['app: import the recording', 'app-import-recording'],
      ['serve (replay --serve)', 'serve'],
      ['serve, first resume', 'serve-resume'],
      ['app: compare two copies', 'app-compare'],
    ]
    let worst = 0
    for (const [label, scenario] of rows) {
      const figures = measure(scenario, dir)
      // A resume frames every event to find where they sit: it holds their places (not bounded); a
      // comparison holds the events of one side (not bounded either).
      if (scenario !== 'serve-resume' && scenario !== 'app-compare') worst = Math.max(worst, figures.maxRssMb)
      console.log(
        `  ${label.padEnd(28)} ${(figures.ms / 1000).toFixed(1).padStart(6)} s   max RSS ${figures.maxRssMb.toFixed(0).padStart(5)} MB${figures.detail ? `   ${figures.detail}` : ''}`,
      )
    }
    console.log(
      `large recording: max RSS ${worst.toFixed(0)} MB for a ${(size / 1e6).toFixed(0)} MB file, resume and compare aside (target <= ${MAX_RSS_MB} MB, whatever its size)`,
    )
  } finally {
    demo.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}
