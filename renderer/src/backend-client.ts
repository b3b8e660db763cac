import type { InspectorApi, Push } from '../../shared/api.ts'
import { openRecording } from './actions.ts'
import { viewBeforeReload } from './remembered-view.ts'
import { logOf, logs, useInspector } from './store/inspector-store.ts'

type CheckPush = Extract<Push, { kind: 'check-progress' | 'check-done' | 'check-error' }>

function applyCheckPush(push: CheckPush): void {
  const { checkRuns, updateCheckRun } = useInspector.getState()
  const run = checkRuns[push.runId]
  if (!run) return holdEarly(push.runId, push) // it overtook runChecks' answer: kept until the run is added
  if (push.kind === 'check-progress') {
    // A run given back after a reload has its steps so far: later ones only.
    if (push.index >= run.steps.length) updateCheckRun(push.runId, { steps: [...run.steps, push.step] })
  } else if (push.kind === 'check-done') {
    updateCheckRun(push.runId, {
      status: 'done',
      findings: push.findings,
      isReachable: push.isReachable,
      responseHeaders: push.responseHeaders,
      isStoppedEarly: push.isStoppedEarly,
    })
  } else updateCheckRun(push.runId, { status: 'error', error: push.message })
}

/** Pushes for connections (or check runs) the store does not know yet, with when the first came. */
const pendingPushes = new Map<string, { sinceMs: number; pushes: Push[] }>()
const MAX_EARLY_PUSHES = 10_000
/** How long pushes wait for their connection: longer, they belong to another page (or a closed tab). */
const EARLY_PUSH_MAX_AGE_MS = 10_000
/** Connections whose tab was closed: their last pushes (a stop takes a moment) are dropped. */
const closedConnections = new Set<string>()
let applyPushes: ((batch: readonly Push[]) => void) | undefined

/** Applies pushes that arrived for a connection or check run before the store knew it (call after adding it). */
export function flushEarlyPushes(id: string): void {
  const early = pendingPushes.get(id)
  pendingPushes.delete(id)
  if (early && applyPushes) applyPushes(early.pushes)
}

/** Drops whatever still arrives for a connection whose tab was closed. */
export function dropPushesOf(connectionId: string): void {
  closedConnections.add(connectionId)
  pendingPushes.delete(connectionId)
}

/** Keeps a push for a connection or check run not known yet; forgets those that waited too long. */
function holdEarly(id: string, push: Push): void {
  if (closedConnections.has(id)) return
  const nowMs = Date.now()
  for (const [other, early] of pendingPushes)
    if (nowMs - early.sinceMs > EARLY_PUSH_MAX_AGE_MS) pendingPushes.delete(other)
  const early = pendingPushes.get(id) ?? { sinceMs: nowMs, pushes: [] }
  if (early.pushes.length < MAX_EARLY_PUSHES) early.pushes.push(push)
  pendingPushes.set(id, early)
}

/** The server start this page met first (browser face). */
let firstServerId: string | undefined

const SERVER_RESTARTED =
  'the SSE Inspector server restarted: this ended with it (its recording, if any, is in the Library)'

/**
 * Notes which start of the server the push stream reached. Another one than before: the server
 * restarted (with the same token, so the page got through) and knows nothing of this page's
 * connections, check runs and replay servers: they are shown as ended, not as running for ever.
 */
function meetServer(serverId: string): void {
  firstServerId ??= serverId
  if (serverId === firstServerId) return
  firstServerId = serverId
  const store = useInspector.getState()
  for (const view of Object.values(store.connections))
    if (view.state === 'connecting' || view.state === 'open' || view.state === 'retrying')
      store.updateConnection(view.id, {
        state: 'failed',
        detail: SERVER_RESTARTED,
        stateSinceMs: Date.now(),
        nextAttemptAtMs: undefined,
      })
  for (const run of Object.values(store.checkRuns))
    if (run.status === 'running')
      store.updateCheckRun(run.runId, { status: 'error', error: SERVER_RESTARTED })
  for (const recordingId of Object.keys(store.servedRecordings)) store.setServed(recordingId, undefined)
}

/** A check run the page had before it was reloaded (its steps so far, or its outcome), shown again if it was. */
function rejoinCheckRun(push: Extract<Push, { kind: 'check-rejoined' }>): void {
  const { runId, request, options, steps, startedAtMs, outcome } = push
  if (useInspector.getState().checkRuns[runId]) return
  useInspector.setState((s) => ({
    checkRuns: {
      ...s.checkRuns,
      [runId]: { runId, request, options, steps: [...steps], status: 'running', startedAtMs },
    },
  }))
  if (outcome) applyCheckPush(outcome)
  const { activeCheckRun, compareCheckRun } = viewBeforeReload()
  if (runId === activeCheckRun) useInspector.setState({ activeCheckRunId: runId })
  if (runId === compareCheckRun) useInspector.setState({ compareCheckRunId: runId })
  flushEarlyPushes(runId)
}

/** A connection the page had before it was reloaded: its tab again (its records follow), the active one active. */
function rejoin(push: Extract<Push, { kind: 'rejoined' }>): void {
  const store = useInspector.getState()
  if (store.connections[push.connectionId]) return
  const { connectionId, request, recordingName, isRecorded, recordingFailure, state, stateSinceMs } = push
  const { detail, replay } = push
  store.addConnection(connectionId, request, { recordingName, isRecorded })
  const readingBack =
    isRecorded && push.lastSeq >= 0 ? { toSeq: push.lastSeq, ofEvents: push.events } : undefined
  store.updateConnection(connectionId, { state, stateSinceMs, detail, recordingFailure, replay, readingBack })
  const { activeConnection: wasActive, view } = viewBeforeReload()
  const active = wasActive && useInspector.getState().connections[wasActive] ? wasActive : connectionId
  useInspector.getState().setActive(active)
  if (view && view !== 'stream') useInspector.setState({ view }) // the Checks or Library it showed
  // A recording that stopped (a full disk) is read back to where it stopped, which a row says.
  if (!isRecorded && !recordingName && !recordingFailure)
    store.setNotice(
      'Reloaded: what came before the reload is not shown for a connection not recorded (or whose recording was deleted); it goes on from here',
    )
  flushEarlyPushes(connectionId)
}

/** Records how far the display trails; shown only when it is noticeable (the UI coalesces meanwhile). */
function patchLag(connectionId: string, lagMs: number): void {
  const { connections, updateConnection } = useInspector.getState()
  const previous = connections[connectionId]?.lagMs ?? 0
  const shown = lagMs >= 500 ? Math.round(lagMs / 100) * 100 : 0
  if (shown !== previous) updateConnection(connectionId, { lagMs: shown })
}

/** Routes the backend's pushes into the logs and the store. Subscribed once, outside React. */
export function startBackendClient(api: InspectorApi): () => void {
  /** Events per second: each log's event count at the last sample (once a second). */
  const lastCounts = new Map<string, number>()
  const apply = (batch: readonly Push[]) => {
    const store = useInspector.getState()
    const touched = new Set<string>()
    for (const push of batch) {
      if (push.kind === 'check-progress' || push.kind === 'check-done' || push.kind === 'check-error') {
        applyCheckPush(push)
        continue
      }
      if (push.kind === 'hello') {
        meetServer(push.serverId)
        continue
      }
      if (push.kind === 'open-recording') {
        void openRecording(api, push.recordingId, push.name, 'instant')
        continue
      }
      if (push.kind === 'served') {
        store.setServed(push.recordingId, { url: push.url, isEachAttempt: push.isEachAttempt })
        continue
      }
      if (push.kind === 'check-rejoined') {
        rejoinCheckRun(push)
        continue
      }
      if (push.kind === 'rejoined') {
        rejoin(push)
        touched.add(push.connectionId)
        continue
      }
      const view = useInspector.getState().connections[push.connectionId]
      if (!view) {
        // Pushes can overtake the reply that names a new connection: keep them until it is added.
        holdEarly(push.connectionId, push)
        continue
      }
      if (push.kind === 'state') {
        const since = view.state === push.state ? view.stateSinceMs : Date.now()
        store.updateConnection(push.connectionId, {
          state: push.state,
          detail: push.detail,
          stateSinceMs: since,
        })
        continue
      }
      if (push.kind === 'reset') {
        store.resetConnectionLog(push.connectionId)
        touched.add(push.connectionId)
        continue
      }
      if (push.kind === 'skipped') {
        logOf(push.connectionId)?.skip(push)
        touched.add(push.connectionId)
        const patch: Partial<typeof view> = {}
        if (push.lastEventId !== undefined) patch.lastEventId = push.lastEventId
        if (push.retryMs !== undefined) patch.retryMs = push.retryMs
        store.updateConnection(push.connectionId, patch)
        continue
      }
      if (push.kind === 'recording-failed') {
        store.updateConnection(push.connectionId, {
          isRecorded: false,
          recordingFailure: { message: push.message, reason: push.reason },
        })
        store.setError(
          `Recording stopped: ${push.message}. The stream goes on; what came before is in the recording.`,
        )
        continue
      }
      if (push.kind === 'replay') {
        store.updateConnection(push.connectionId, { replay: push.position })
        continue
      }
      logOf(push.connectionId)?.append(push.records)
      const readBackTo = view.readingBack?.toSeq
      if (
        readBackTo !== undefined &&
        push.records.some((r) => r.kind !== 'annotation' && r.seq >= readBackTo)
      ) {
        lastCounts.set(push.connectionId, logOf(push.connectionId)?.eventCount ?? 0) // the rate counts from here
        store.updateConnection(push.connectionId, { readingBack: undefined })
      }
      if (push.sentAtMs !== undefined) patchLag(push.connectionId, Date.now() - push.sentAtMs)
      touched.add(push.connectionId)
      const patch: Partial<typeof view> = {}
      let reconnects = view.reconnects
      for (const record of push.records) {
        if (record.kind === 'open') {
          patch.status = record.status
          patch.statusText = record.statusText
          patch.httpVersion = record.httpVersion
          patch.proxy = record.proxy
          patch.remoteAddress = record.remoteAddress
          patch.tls = record.tls
          patch.responseHeaders = record.headers
          patch.redirects = record.redirects?.length ?? (record.isRedirected ? 'some' : 0)
        } else if (record.kind === 'retry') patch.retryMs = record.ms
        else if (record.kind === 'reconnect') {
          reconnects = record.reconnectAttempt
          patch.nextAttemptAtMs = record.atMs + record.delayMs
        } else if (record.kind === 'request') patch.nextAttemptAtMs = undefined
        else if (record.kind === 'event') patch.lastEventId = record.lastEventId
      }
      patch.reconnects = reconnects
      store.updateConnection(push.connectionId, patch)
    }
    const state = useInspector.getState()
    for (const id of touched)
      state.updateConnection(id, { version: (state.connections[id]?.version ?? 0) + 1 })
  }
  applyPushes = apply
  const unsubscribe = api.subscribe(apply)

  const timer = setInterval(() => {
    const state = useInspector.getState()
    for (const [id, log] of logs) {
      // Records being read back after a reload are not arriving now: not in the rate.
      const rate = state.connections[id]?.readingBack ? 0 : log.eventCount - (lastCounts.get(id) ?? 0)
      lastCounts.set(id, log.eventCount)
      if (state.connections[id] && state.connections[id].eventsPerSecond !== rate)
        state.updateConnection(id, { eventsPerSecond: rate })
    }
    for (const id of lastCounts.keys()) if (!logs.has(id)) lastCounts.delete(id) // closed tabs
  }, 1000)
  return () => {
    unsubscribe()
    clearInterval(timer)
  }
}
