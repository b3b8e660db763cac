import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineConfig } from '@playwright/test'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './test/support/chromium.ts'

// E2E: Debian's Chromium drives the real renderer through the browser face, against the real backend.
const PORT = 4607
export const E2E_TOKEN = 'e2e-token-0123456789'
// A fresh recordings library per run, never the user's; one path for the runner and its workers (they
// load this file too), removed at the end.
process.env.SSE_E2E_LIBRARY ??= join(tmpdir(), `sse-inspector-e2e-${Date.now()}`)

export default defineConfig({
  testDir: 'test/e2e',
  timeout: 60_000,
  workers: 1,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  outputDir: 'test-results/e2e',
  globalTeardown: './test/support/e2e-teardown.ts',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1400, height: 860 },
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
  webServer: {
    command: `node bin/sse-inspector.js serve --port ${PORT} --token ${E2E_TOKEN}`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    env: { SSE_INSPECTOR_LIBRARY: process.env.SSE_E2E_LIBRARY },
    timeout: 20_000,
  },
})
