import type { InspectorApi, Push } from '../../shared/api.ts'
import { logOf, logs, useInspector } from './store/inspector-store.ts'

/** Routes the backend's pushes into the logs and the store. Subscribed once, outside React. */
export function startBackendClient(api: InspectorApi): () => void {
  const apply = (batch: readonly Push[]) => {
    const store = useInspector.getState()
    const touched = new Set<string>()
    for (const push of batch) {
      const view =
        store.connections[push.connectionId] ?? useInspector.getState().connections[push.connectionId]
      if (!view) continue
      if (push.kind === 'state') {
        store.updateConnection(push.connectionId, { state: push.state, detail: push.detail })
        continue
      }
      logOf(push.connectionId)?.append(push.records)
      touched.add(push.connectionId)
      const patch: Partial<typeof view> = {}
      let reconnects = view.reconnects
      for (const record of push.records) {
        if (record.kind === 'open') {
          patch.status = record.status
          patch.statusText = record.statusText
          patch.httpVersion = record.httpVersion
          patch.responseHeaders = record.headers
        } else if (record.kind === 'retry') patch.retryMs = record.ms
        else if (record.kind === 'reconnect') reconnects = record.reconnectAttempt
        else if (record.kind === 'event') patch.lastEventId = record.lastEventId
      }
      patch.reconnects = reconnects
      store.updateConnection(push.connectionId, patch)
    }
    const state = useInspector.getState()
    for (const id of touched)
      state.updateConnection(id, { version: (state.connections[id]?.version ?? 0) + 1 })
  }
  const unsubscribe = api.subscribe(apply)

  // Events per second, sampled once a second from the logs' counters.
  const lastCounts = new Map<string, number>()
  const timer = setInterval(() => {
    const state = useInspector.getState()
    for (const [id, log] of logs) {
      const rate = log.eventCount - (lastCounts.get(id) ?? 0)
      lastCounts.set(id, log.eventCount)
      if (state.connections[id] && state.connections[id].eventsPerSecond !== rate)
        state.updateConnection(id, { eventsPerSecond: rate })
    }
  }, 1000)
  return () => {
    unsubscribe()
    clearInterval(timer)
  }
}
