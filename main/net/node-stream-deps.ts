import type { StreamDeps } from '../../shared/sse/open-stream.ts'
import type { TransportOptions } from '../../shared/sse/stream-request.ts'
import { createUndiciTransport } from './undici-fetch.ts'

/** Wall-clock milliseconds with sub-millisecond resolution. */
export const preciseNow = (): number => performance.timeOrigin + performance.now()

/** The engine's edges in Node: undici transport, precise clock, real timers. */
export function nodeStreamDeps(transport: TransportOptions = {}): {
  deps: StreamDeps
  close: () => Promise<void>
} {
  const { fetch, close } = createUndiciTransport(transport)
  return {
    deps: {
      fetch,
      now: preciseNow,
      setTimer: (callback, ms) => {
        const timer = setTimeout(callback, ms)
        return () => clearTimeout(timer)
      },
    },
    close,
  }
}
