import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Vitest global setup: every temporary file of the run — the tests' directories, the CLI's and nginx's
 * — goes under one fresh TMPDIR, removed when the run ends (the recording tests alone write ~0.5 GB).
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'sse-inspector-unit-'))
  process.env.TMPDIR = root
  return () => rmSync(root, { recursive: true, force: true })
}
