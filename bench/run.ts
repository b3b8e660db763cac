// npm run bench: builds the benchmarks, then runs each in its own process (clean heap), printing figures.
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'

const benches = [
  'framing-bench',
  'ingest-bench',
  'memory-bench',
  'backend-bench',
  'pushes-bench',
  'recording-bench',
  'large-recording-bench',
  'llm-bench',
  'ui-bench',
]
// Names pick benchmarks; flags (--full) go to each one run.
const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'))
const flags = process.argv.slice(2).filter((arg) => arg.startsWith('--'))
// The UI benchmark drives the built renderer through the browser face.
if (only.length === 0 || only.some((name) => 'ui-bench'.startsWith(name))) {
  const ui = spawnSync(
    process.execPath,
    [resolve('node_modules/electron-vite/bin/electron-vite.js'), 'build'],
    { stdio: 'ignore' },
  )
  if (ui.status !== 0) process.exit(1)
}
const build = spawnSync(
  process.execPath,
  [resolve('node_modules/vite/bin/vite.js'), 'build', '--config', 'bench/vite.config.ts'],
  {
    stdio: 'inherit',
  },
)
if (build.status !== 0) process.exit(1)
console.log(`node ${process.version}, ${process.platform}/${process.arch}\n`)
let failed = 0
for (const bench of benches) {
  if (only.length > 0 && !only.some((name) => bench.startsWith(name))) continue
  const result = spawnSync(process.execPath, [resolve(`out/bench/${bench}.js`), ...flags], {
    stdio: 'inherit',
  })
  if (result.status !== 0) failed++
  console.log('')
}
process.exitCode = failed > 0 ? 1 : 0
