import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.{ts,tsx}'],
    environment: 'node',
    globalSetup: ['test/support/temp-root.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
})
