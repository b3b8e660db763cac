import type { ReconnectRecord, WarningRecord } from './stream-records.ts'

/** Reconnects this close together make a reconnect storm (warned once a stream). */
const STORM_RECONNECTS = 10
const STORM_WINDOW_MS = 1000

/**
 * Watches a stream's reconnects for a storm. The spec reconnects after `retry` ms, 0 included: a
 * server that ends every response at once then gets a request per round trip from every client. Fed
 * the same reconnect records, live or loaded from a recording, it warns at the same one, once.
 */
export function createStormWatch(): (reconnect: ReconnectRecord) => Omit<WarningRecord, 'seq'> | undefined {
  const recent: number[] = []
  let hasWarned = false
  return (reconnect) => {
    if (hasWarned) return undefined
    recent.push(reconnect.atMs)
    while (recent[0]! < reconnect.atMs - STORM_WINDOW_MS) recent.shift()
    if (recent.length < STORM_RECONNECTS) return undefined
    hasWarned = true
    return {
      kind: 'warning',
      atMs: reconnect.atMs,
      attempt: reconnect.attempt,
      code: 'reconnect-storm',
      message: `${STORM_RECONNECTS} reconnects within ${STORM_WINDOW_MS / 1000} s (the next in ${reconnect.delayMs} ms): the server ends each response at once and the retry delay is short, so every client of it reconnects as fast (a reconnect storm); send a longer retry, or keep the stream open`,
    }
  }
}
