#!/usr/bin/env node
// Runs the TypeScript CLI straight from the checkout. Node >= 22.18 strips types natively;
// 22.12–22.17 need the flag, so re-run under it there.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

// Older Node fails on the TypeScript entry with an unrelated-looking error; say what is wrong instead.
const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `sse-inspector: needs Node.js 22.12 or newer (.nvmrc says 24); this is ${process.version} at ${process.execPath}\n`,
  )
  process.exit(1)
}

const entry = fileURLToPath(new URL('../main/cli/main.ts', import.meta.url))
if (process.features.typescript) {
  await import(entry)
} else {
  const result = spawnSync(
    process.execPath,
    ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', entry, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  )
  process.exit(result.status ?? 1)
}
