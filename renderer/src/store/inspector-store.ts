import { create } from 'zustand'
import type { CheckRunOptions, ConnectionState, DemoRouteInfo, ReplayPosition } from '../../../shared/api.ts'
import type { Finding } from '../../../shared/checks/finding.ts'
import type { HeaderEntry, StreamRequest } from '../../../shared/sse/stream-request.ts'
import type { TlsFacts } from '../../../shared/sse/fetch-like.ts'
import { DEFAULT_FILTER, DEFAULT_MAX_ROWS, EventLog, RowBudget, type RowFilter } from './event-log.ts'
import { EMPTY_DRAFT, fromStreamRequest, type RequestDraft } from './request-draft.ts'
import type { ServerLink } from '../http-client.ts'

/** What the connection header shows; counters derive from the records as they arrive. */
/** Whether a connection streams (or waits to) live: not a replay, not ended. */
export function isLiveConnection(view: ConnectionView): boolean {
  return (
    !view.recordingName && (view.state === 'connecting' || view.state === 'open' || view.state === 'retrying')
  )
}

export type ConnectionView = {
  id: string
  request: StreamRequest
  /** Set when the connection replays a recording rather than streaming live. */
  recordingName?: string
  /** Whether a recording holds all of it (a replay's, or a live connection recorded): what the views drop is kept there. */
  isRecorded: boolean
  /** Why its recording stopped while the stream went on (a full disk): the whole message, and the error alone. */
  recordingFailure?: { message: string; reason: string }
  /** Where that replay is. */
  replay?: ReplayPosition
  state: ConnectionState
  /** When the state last changed (Date.now()): how long a connection has waited for its response. */
  stateSinceMs: number
  detail?: string
  status?: number
  statusText?: string
  httpVersion?: string
  /** The proxy the response came through, if any (set explicitly or by the environment). */
  proxy?: string
  /** Where the connection went (IP:port), when direct. */
  remoteAddress?: string
  /** The TLS the last response came over (https://, direct connections). */
  tls?: TlsFacts
  responseHeaders?: readonly HeaderEntry[]
  /** How many redirects the last response came through ('some' in a recording from before they were counted). */
  redirects?: number | 'some'
  reconnects: number
  /** While retrying: when the next attempt starts (the backend's clock, epoch ms). */
  nextAttemptAtMs?: number
  retryMs?: number
  lastEventId: string
  eventsPerSecond: number
  /** How far the display trails the backend (ms), from the last batch applied. */
  lagMs?: number
  /**
   * Given back after a reload, its records so far still being read back: up to which seq (the records
   * up to it are not new: not in the rate), and the events they come to.
   */
  readingBack?: { toSeq: number; ofEvents: number }
  /** Bumped on every batch: components that read the log subscribe to it. */
  version: number
}

export type ServedRecording = { url: string; isEachAttempt: boolean }

/** A conformance run started from the Checks panel. */
export type CheckRunView = {
  runId: string
  request: StreamRequest
  options: CheckRunOptions
  steps: string[]
  status: 'running' | 'done' | 'error'
  findings?: readonly Finding[]
  responseHeaders?: readonly HeaderEntry[]
  isReachable?: boolean
  /** Stopped by the user: the findings cover what was seen until then. */
  isStoppedEarly?: boolean
  error?: string
  startedAtMs: number
}

export type InspectorState = {
  connections: Record<string, ConnectionView>
  order: string[]
  activeId?: string
  selectedRow?: number
  filter: RowFilter
  draft: RequestDraft
  demo?: { url: string; routes: readonly DemoRouteInfo[] }
  error?: string
  /** Not an error: something about what is shown (a recording shown in part). */
  notice?: string
  view: 'stream' | 'checks' | 'library'
  /** The browser face's link to its server (the desktop app's is always up). */
  serverLink: ServerLink
  checkRuns: Record<string, CheckRunView>
  activeCheckRunId?: string
  /** The run of the same checks on the Compare URL, beside the active one. */
  compareCheckRunId?: string
  /** Recordings served as local SSE endpoints, by recording id: their URLs (kept while the Library is closed). */
  /** Recordings the replay server serves: where, and whether each attempt in turn. */
  servedRecordings: Record<string, ServedRecording>
  setServed: (recordingId: string, served: ServedRecording | undefined) => void
  updateCheckRun: (runId: string, patch: Partial<CheckRunView>) => void
  setDraft: (patch: Partial<RequestDraft>) => void
  /** A new tab: a live connection (recorded or not) or the replay of a named recording. */
  addConnection: (
    id: string,
    request: StreamRequest,
    origin?: { recordingName?: string; isRecorded?: boolean },
  ) => void
  updateConnection: (id: string, patch: Partial<ConnectionView>) => void
  setActive: (id: string) => void
  /** Forgets a connection (its tab closed); the tab beside it becomes active. */
  removeConnection: (id: string) => void
  /** Starts a connection's log afresh (a replay seeking backwards delivers its records again). */
  resetConnectionLog: (id: string) => void
  select: (row: number | undefined) => void
  setFilter: (filter: RowFilter) => void
  setError: (error: string | undefined) => void
  setNotice: (notice: string | undefined) => void
}

/** The editor for a tab: its request, as a browser's address bar shows its tab's page. */
function draftOf(s: InspectorState, id: string): RequestDraft {
  const request = s.connections[id]?.request
  return request ? { ...fromStreamRequest(request), isRecording: s.draft.isRecording } : s.draft
}

/** Each connection's records: big, append-only, outside React state (the store keeps a version). */
export const logs = new Map<string, EventLog>()
/** The rows every connection's log holds together. */
const rowBudget = new RowBudget()
const newLog = () => new EventLog(DEFAULT_MAX_ROWS, rowBudget)
const dropLog = (id: string) => {
  const log = logs.get(id)
  if (log) rowBudget.release(log)
  logs.delete(id)
}

export function logOf(id: string | undefined): EventLog | undefined {
  return id === undefined ? undefined : logs.get(id)
}

export const useInspector = create<InspectorState>()((set) => ({
  connections: {},
  order: [],
  filter: DEFAULT_FILTER,
  draft: EMPTY_DRAFT,
  view: 'stream',
  serverLink: 'up',
  checkRuns: {},
  servedRecordings: {},
  setServed: (recordingId, served) =>
    set((s) => {
      const { [recordingId]: _old, ...others } = s.servedRecordings
      return { servedRecordings: served === undefined ? others : { ...others, [recordingId]: served } }
    }),
  updateCheckRun: (runId, patch) =>
    set((s) => {
      const current = s.checkRuns[runId]
      return current ? { checkRuns: { ...s.checkRuns, [runId]: { ...current, ...patch } } } : {}
    }),
  setDraft: (patch) => set((s) => ({ draft: { ...s.draft, ...patch } })),
  addConnection: (id, request, origin = {}) => {
    const log = newLog()
    logs.set(id, log)
    set((s) => {
      log.setFilter(s.filter)
      return {
        connections: {
          ...s.connections,
          [id]: {
            id,
            request,
            recordingName: origin.recordingName,
            isRecorded: origin.isRecorded ?? origin.recordingName !== undefined,
            state: 'connecting',
            stateSinceMs: Date.now(),
            reconnects: 0,
            lastEventId: request.lastEventId ?? '',
            eventsPerSecond: 0,
            version: 0,
          },
        },
        order: [...s.order, id],
        activeId: id,
        view: 'stream',
        selectedRow: undefined,
      }
    })
  },
  updateConnection: (id, patch) =>
    set((s) => {
      const current = s.connections[id]
      return current ? { connections: { ...s.connections, [id]: { ...current, ...patch } } } : {}
    }),
  setActive: (id) =>
    set((s) => ({ activeId: id, selectedRow: undefined, view: 'stream', draft: draftOf(s, id) })),
  removeConnection: (id) =>
    set((s) => {
      dropLog(id)
      const index = s.order.indexOf(id)
      const order = s.order.filter((other) => other !== id)
      const { [id]: _closed, ...connections } = s.connections
      if (s.activeId !== id) return { order, connections }
      const activeId = order[Math.min(index, order.length - 1)]
      return {
        order,
        connections,
        activeId,
        draft: activeId === undefined ? s.draft : draftOf(s, activeId),
        selectedRow: undefined,
      }
    }),
  resetConnectionLog: (id) =>
    set((s) => {
      dropLog(id)
      const log = newLog()
      log.setFilter(s.filter)
      logs.set(id, log)
      return { selectedRow: s.activeId === id ? undefined : s.selectedRow }
    }),
  select: (row) => set({ selectedRow: row }),
  setFilter: (filter) =>
    set(() => {
      for (const log of logs.values()) log.setFilter(filter)
      return { filter, selectedRow: undefined }
    }),
  setError: (error) => set({ error }),
  setNotice: (notice) => set({ notice }),
}))
