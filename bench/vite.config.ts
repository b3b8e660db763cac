// Builds the benchmarks to plain JS (out/bench), so figures are not skewed by the TypeScript loader
// (Node's type stripping alone adds ~45 MB of RSS) and match what the app ships: bundled code.
import { resolve } from 'node:path'
import { defineConfig } from 'vite'

export default defineConfig({
  logLevel: 'warn',
  build: {
    ssr: true,
    outDir: resolve('out/bench'),
    emptyOutDir: true,
    target: 'node22',
    rollupOptions: {
      input: {
        'framing-bench': resolve('bench/framing-bench.ts'),
        'ingest-bench': resolve('bench/ingest-bench.ts'),
        'memory-bench': resolve('bench/memory-bench.ts'),
        'backend-bench': resolve('bench/backend-bench.ts'),
        'pushes-bench': resolve('bench/pushes-bench.ts'),
        'recording-bench': resolve('bench/recording-bench.ts'),
        'large-recording-bench': resolve('bench/large-recording-bench.ts'),
        'ui-bench': resolve('bench/ui-bench.ts'),
        'llm-bench': resolve('bench/llm-bench.ts'),
      },
    },
  },
})
