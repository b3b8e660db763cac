import type { Push, WireRecord } from '../../shared/api.ts'

type SkippedPush = Extract<Push, { kind: 'skipped' }>

export type OutboxLimits = {
  /** Records in one message (a message is parsed in one go by the page). */
  maxRecordsPerMessage: number
  /** Records held for one connection before its oldest are dropped. */
  maxHeldPerConnection: number
  /** Records held for all connections together. */
  maxHeldTotal: number
}

// A quarter of the page's row cap: a page behind a firehose stays ~0.5 s behind (at 1M it was 2 s,
// with ~200 MB more backend memory), and what it shows is still a long, unbroken run of the newest.
export const DEFAULT_OUTBOX_LIMITS: OutboxLimits = {
  maxRecordsPerMessage: 20_000,
  maxHeldPerConnection: 250_000,
  maxHeldTotal: 500_000,
}

/** A connection's records waiting to go: in parts as they came (shared with other faces: never changed in place). */
type HeldRecords = {
  kind: 'records'
  connectionId: string
  parts: { records: readonly WireRecord[]; start: number; sentAtMs?: number }[]
  size: number
  /** Records dropped before these (the page forgets what it holds, then counts them). */
  skipped?: SkippedPush
}
type Held = HeldRecords | Exclude<Push, { kind: 'records' }>

// Kept when older records are dropped: few per attempt, and the connection's header is made of them.
const KEPT_KINDS: ReadonlySet<WireRecord['kind']> = new Set([
  'request',
  'open',
  'reconnect',
  'close',
  'error',
])

/**
 * Pushes on their way to one page, sent only as fast as the page takes them. A page that falls
 * behind a fast stream (a firehose sends millions of events a second; a page parses a few hundred
 * thousand) used to leave them queued in the socket: the backend's memory grew by ~80 MB/s. Held
 * records merge per connection; past the page's own row cap the oldest are dropped and the page is
 * told how many (a `skipped` push), which is what it would have evicted on arrival. The recording
 * keeps everything.
 */
export class PushOutbox {
  private queue: Held[] = []
  private readonly heldBy = new Map<string, number>()
  private heldTotal = 0
  private readonly send: (batch: Push[]) => void
  private readonly isReady: () => boolean
  private readonly limits: OutboxLimits

  /** `send` delivers a message; `isReady` says whether the page takes another now (call `pump` once it does). */
  constructor(send: (batch: Push[]) => void, isReady: () => boolean, limits: Partial<OutboxLimits> = {}) {
    this.send = send
    this.isReady = isReady
    this.limits = { ...DEFAULT_OUTBOX_LIMITS, ...limits }
  }

  /** Records held, not yet sent. */
  get heldRecords(): number {
    return this.heldTotal
  }

  /** A connection's records held, not yet sent. */
  heldOf(connectionId: string): number {
    return this.heldBy.get(connectionId) ?? 0
  }

  /** Queues a batch from the backend and sends what the page takes now. */
  add(batch: readonly Push[]): void {
    for (const push of batch) this.hold(push)
    this.pump()
    this.enforceLimits()
  }

  /** Sends held pushes while the page takes them, a message of at most maxRecordsPerMessage records at a time. */
  pump(): void {
    while (this.queue.length > 0 && this.isReady()) this.send(this.nextMessage())
  }

  private hold(push: Push): void {
    if (push.kind !== 'records') {
      // The page forgets a reset connection's records: those still held need not go.
      if (push.kind === 'reset') this.dropHeld(push.connectionId)
      this.queue.push(push)
      return
    }
    if (push.records.length === 0) return
    let held = this.lastHeldOf(push.connectionId)
    if (held?.kind !== 'records') {
      held = { kind: 'records', connectionId: push.connectionId, parts: [], size: 0 }
      this.queue.push(held)
    }
    held.parts.push({ records: push.records, start: 0, sentAtMs: push.sentAtMs })
    held.size += push.records.length
    this.count(push.connectionId, push.records.length)
  }

  /** The newest held push of a connection: records merge into it unless something else of it came after. */
  private lastHeldOf(connectionId: string): Held | undefined {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const held = this.queue[i]!
      if ('connectionId' in held && held.connectionId === connectionId) return held
    }
    return undefined
  }

  private count(connectionId: string, delta: number): void {
    const held = (this.heldBy.get(connectionId) ?? 0) + delta
    if (held > 0) this.heldBy.set(connectionId, held)
    else this.heldBy.delete(connectionId)
    this.heldTotal += delta
  }

  private dropHeld(connectionId: string): void {
    this.queue = this.queue.filter((held) => {
      if (held.kind !== 'records' || held.connectionId !== connectionId) return true
      this.count(connectionId, -held.size)
      return false
    })
  }

  private enforceLimits(): void {
    const { maxHeldPerConnection, maxHeldTotal } = this.limits
    for (const [connectionId, held] of this.heldBy)
      if (held > maxHeldPerConnection) this.trim(connectionId, held - Math.floor(maxHeldPerConnection * 0.9))
    while (this.heldTotal > maxHeldTotal) {
      let largest: [string, number] = ['', 0]
      for (const entry of this.heldBy) if (entry[1] > largest[1]) largest = entry
      const before = this.heldTotal
      this.trim(largest[0], Math.max(this.heldTotal - maxHeldTotal, Math.ceil(largest[1] / 10)))
      if (this.heldTotal === before) break
    }
  }

  /** Drops a connection's oldest `count` held records (keeping the few its header needs, while it can). */
  private trim(connectionId: string, count: number): void {
    const entries = this.queue.filter(
      (held): held is HeldRecords => held.kind === 'records' && held.connectionId === connectionId,
    )
    const first = entries[0]
    if (!first) return
    const skipped: SkippedPush = first.skipped ?? {
      kind: 'skipped',
      connectionId,
      rows: 0,
      events: 0,
      bytes: 0,
    }
    const isKeptKind = (record: WireRecord) => KEPT_KINDS.has(record.kind)
    let left = count
    for (const keep of [isKeptKind, () => false]) {
      for (const entry of entries) {
        for (let i = 0; i < entry.parts.length && left > 0; i++) {
          const part = entry.parts[i]!
          const cut = Math.min(left, part.records.length - part.start)
          const kept: WireRecord[] = []
          for (let j = part.start; j < part.start + cut; j++) {
            const record = part.records[j]!
            if (keep(record)) kept.push(record)
            else noteSkipped(skipped, record)
          }
          const dropped = cut - kept.length
          // Mostly nothing of the cut is kept: the part starts later, no copy.
          if (kept.length === 0) part.start += cut
          else {
            for (let j = part.start + cut; j < part.records.length; j++) kept.push(part.records[j]!)
            entry.parts[i] = { records: kept, start: 0, sentAtMs: part.sentAtMs }
          }
          entry.size -= dropped
          this.count(connectionId, -dropped)
          left -= cut
        }
        // A part all dropped goes: it would keep its whole batch alive until the page reads again.
        entry.parts = entry.parts.filter((part) => part.start < part.records.length)
      }
      // Still over the cap (a stream of nothing but reconnects): the kept kinds go too.
      left = (this.heldBy.get(connectionId) ?? 0) - this.limits.maxHeldPerConnection
      if (left <= 0) break
    }
    first.skipped = skipped
  }

  /** The next message: held pushes from the front, records up to the per-message limit. */
  private nextMessage(): Push[] {
    const message: Push[] = []
    let room = this.limits.maxRecordsPerMessage
    while (this.queue.length > 0 && room > 0) {
      const held = this.queue[0]!
      if (held.kind !== 'records') {
        message.push(held)
        this.queue.shift()
        continue
      }
      if (held.skipped) message.push(held.skipped)
      held.skipped = undefined
      const records: WireRecord[] = []
      let sentAtMs: number | undefined
      while (held.parts.length > 0 && room > 0) {
        const part = held.parts[0]!
        const take = Math.min(room, part.records.length - part.start)
        for (let i = part.start; i < part.start + take; i++) records.push(part.records[i]!)
        sentAtMs = part.sentAtMs
        room -= take
        part.start += take
        if (part.start === part.records.length) held.parts.shift()
      }
      held.size -= records.length
      this.count(held.connectionId, -records.length)
      if (records.length > 0)
        message.push({ kind: 'records', connectionId: held.connectionId, records, sentAtMs })
      if (held.parts.length === 0) this.queue.shift()
    }
    return message
  }
}

function noteSkipped(skipped: SkippedPush, record: WireRecord): void {
  if (record.kind === 'chunk') {
    skipped.bytes += record.sizeBytes
    return
  }
  skipped.rows++
  if (record.kind === 'event') {
    skipped.events++
    skipped.lastEventId = record.lastEventId
  } else if (record.kind === 'retry') skipped.retryMs = record.ms
}

/** A page's outbox over a channel that never says the page is behind (Electron IPC): the page acknowledges each message. */
export type AcknowledgedOutbox = {
  add: (batch: readonly Push[]) => void
  heldOf: (connectionId: string) => number
  /** The page applied a message. */
  acknowledge: () => void
  /** A new page loaded: what the old one was sent is never acknowledged. */
  reset: () => void
}

/** At most `inFlight` messages unacknowledged at a time; the rest wait in a PushOutbox. */
export function createAcknowledgedOutbox(
  send: (batch: Push[]) => void,
  inFlight = 2,
  limits: Partial<OutboxLimits> = {},
): AcknowledgedOutbox {
  let unacknowledged = 0
  const outbox = new PushOutbox(
    (batch) => {
      unacknowledged++
      send(batch)
    },
    () => unacknowledged < inFlight,
    limits,
  )
  return {
    add: (batch) => outbox.add(batch),
    heldOf: (connectionId) => outbox.heldOf(connectionId),
    acknowledge() {
      unacknowledged = Math.max(0, unacknowledged - 1)
      outbox.pump()
    },
    reset() {
      unacknowledged = 0
      outbox.pump()
    },
  }
}
