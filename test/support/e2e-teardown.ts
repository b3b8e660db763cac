import { rmSync } from 'node:fs'

/** Playwright global teardown: the run's recordings library goes (playwright.config.ts makes it). */
export default function teardown(): void {
  const library = process.env.SSE_E2E_LIBRARY
  if (library) rmSync(library, { recursive: true, force: true })
}
