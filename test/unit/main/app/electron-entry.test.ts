// The built Electron entry must size V8's heap before any package loads (see small-young-generation.ts).
// Electron cannot run here, so this checks the bundle electron-vite makes from the real config.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { beforeAll, expect, test } from 'vitest'

const outMain = resolve('out/main')

beforeAll(() => {
  const build = spawnSync(
    process.execPath,
    [resolve('node_modules/electron-vite/bin/electron-vite.js'), 'build'],
    {
      encoding: 'utf8',
    },
  )
  expect(build.status, build.stderr).toBe(0)
}, 120_000)

test('electron entry: sets the heap flag, then loads the shell; no package is imported before', () => {
  const entry = readFileSync(resolve(outMain, 'index.js'), 'utf8')
  const staticImports = [...entry.matchAll(/^import\s.*?from\s+["']([^"']+)["']/gm)].map((match) => match[1])
  expect(staticImports).toEqual(['node:v8'])
  const flag = entry.indexOf('setFlagsFromString("--semi-space-growth-factor=1")')
  const shell = entry.indexOf('import("./shell.js")')
  expect(flag).toBeGreaterThan(-1)
  expect(shell).toBeGreaterThan(flag)

  // The shell chunk sits beside the entry (its paths to the preload and renderer are relative) and is
  // the code that loads electron and the backend.
  const chunk = readFileSync(resolve(outMain, 'shell.js'), 'utf8')
  expect(chunk).toMatch(/^import .* from "electron";$/m)
  expect(chunk).toMatch(/^import .* from "undici";$/m)
  expect(chunk).toContain('../preload/index.cjs')
  // the window's icon, a PNG the renderer build carries beside the page
  expect(chunk).toContain('../renderer/icon.png')
  expect(readFileSync(resolve('out/renderer/icon.png')).subarray(1, 4).toString()).toBe('PNG')
})
