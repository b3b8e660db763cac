import type { Push, WireRecord } from '../../shared/api.ts'

type SkippedPush = Extract<Push, { kind: 'skipped' }>

export type OutboxLimits = {
  /** Records in one message (a message is parsed in one go by the page); a message has one at least. */
  maxRecordsPerMessage: number
  /** Characters of data in one message. */
  maxCharsPerMessage: number
  /** Records held for one connection before its oldest are dropped, and all connections together. */
  maxHeldPerConnection: number
  maxHeldTotal: number
  /** Characters of data held, likewise: a stream of 1 MB events reaches these long before the counts. */
  maxHeldCharsPerConnection: number
  maxHeldCharsTotal: number
}

// A quarter of the page's row cap: a page behind a firehose stays ~0.5 s behind (at 1M it was 2 s,
// with ~200 MB more backend memory), and what it shows is still a long, unbroken run of the newest.
export const DEFAULT_OUTBOX_LIMITS: OutboxLimits = {
  maxRecordsPerMessage: 20_000,
  maxCharsPerMessage: 8 * 1024 * 1024,
  maxHeldPerConnection: 250_000,
  maxHeldTotal: 500_000,
  maxHeldCharsPerConnection: 64 * 1024 * 1024,
  maxHeldCharsTotal: 128 * 1024 * 1024,
}

/** What a record weighs beyond its count: the text it carries (an event's data can be megabytes). */
function charsOf(record: WireRecord): number {
  switch (record.kind) {
    case 'event':
      return record.data.length
    case 'comment':
    case 'annotation':
      return record.text.length
    case 'warning':
      return record.message.length
    default:
      return 0
  }
}

type Amount = { records: number; chars: number }

/** A connection's records waiting to go: in parts as they came (shared with other faces: never changed in place). */
type HeldRecords = {
  kind: 'records'
  connectionId: string
  parts: { records: readonly WireRecord[]; start: number; sentAtMs?: number }[]
  /** Records dropped before these (the page forgets what it holds, then counts them). */
  skipped?: SkippedPush
}
type Held = HeldRecords | Exclude<Push, { kind: 'records' }>

// Kept when older records are dropped: few per attempt, and the connection's header is made of them.
export const KEPT_KINDS: ReadonlySet<WireRecord['kind']> = new Set([
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
 * records merge per connection; past a cap the oldest are dropped and the page is told how many (a
 * `skipped` push). The recording keeps everything.
 */
export class PushOutbox {
  private queue: Held[] = []
  private readonly heldBy = new Map<string, Amount>()
  private readonly heldTotal: Amount = { records: 0, chars: 0 }
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
    return this.heldTotal.records
  }

  /** How full a connection's share is: 1 where its oldest records start to be dropped. */
  pressureOf(connectionId: string): number {
    const held = this.heldBy.get(connectionId)
    if (!held) return 0
    const { maxHeldPerConnection, maxHeldCharsPerConnection } = this.limits
    return Math.max(held.records / maxHeldPerConnection, held.chars / maxHeldCharsPerConnection)
  }

  /** Forgets everything held (the page it was for is gone). */
  clear(): void {
    this.queue = []
    this.heldBy.clear()
    this.heldTotal.records = 0
    this.heldTotal.chars = 0
  }

  /** Queues a batch from the backend and sends what the page takes now. */
  add(batch: readonly Push[]): void {
    for (const push of batch) this.hold(push)
    this.pump()
    this.enforceLimits()
  }

  /** Sends held pushes while the page takes them, a message of bounded size at a time. */
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
      held = { kind: 'records', connectionId: push.connectionId, parts: [] }
      this.queue.push(held)
    }
    held.parts.push({ records: push.records, start: 0, sentAtMs: push.sentAtMs })
    let chars = 0
    for (const record of push.records) chars += charsOf(record)
    this.count(push.connectionId, push.records.length, chars)
  }

  /** The newest held push of a connection: records merge into it unless something else of it came after. */
  private lastHeldOf(connectionId: string): Held | undefined {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const held = this.queue[i]!
      if ('connectionId' in held && held.connectionId === connectionId) return held
    }
    return undefined
  }

  private count(connectionId: string, records: number, chars: number): void {
    const held = this.heldBy.get(connectionId) ?? { records: 0, chars: 0 }
    held.records += records
    held.chars += chars
    if (held.records > 0) this.heldBy.set(connectionId, held)
    else this.heldBy.delete(connectionId)
    this.heldTotal.records += records
    this.heldTotal.chars += chars
  }

  private dropHeld(connectionId: string): void {
    const held = this.heldBy.get(connectionId)
    if (held) this.count(connectionId, -held.records, -held.chars)
    this.queue = this.queue.filter((h) => h.kind !== 'records' || h.connectionId !== connectionId)
  }

  private enforceLimits(): void {
    const { maxHeldPerConnection, maxHeldCharsPerConnection, maxHeldTotal, maxHeldCharsTotal } = this.limits
    // Down to 90 % at once: trimming a little at every batch would cost a pass over the held parts each time.
    for (const [connectionId, held] of this.heldBy)
      if (held.records > maxHeldPerConnection || held.chars > maxHeldCharsPerConnection)
        this.trim(connectionId, maxHeldPerConnection * 0.9, maxHeldCharsPerConnection * 0.9)
    while (this.heldTotal.records > maxHeldTotal || this.heldTotal.chars > maxHeldCharsTotal) {
      let largest: [string, Amount] | undefined
      for (const entry of this.heldBy)
        if (!largest || this.pressureOf(entry[0]) > this.pressureOf(largest[0])) largest = entry
      if (!largest) break
      const [connectionId, held] = largest
      const before = { ...this.heldTotal }
      // What takes the total back under, and at least a tenth of the largest.
      const records = Math.min(held.records * 0.9, held.records - (this.heldTotal.records - maxHeldTotal))
      const chars = Math.min(held.chars * 0.9, held.chars - (this.heldTotal.chars - maxHeldCharsTotal))
      this.trim(connectionId, records, chars)
      if (this.heldTotal.records === before.records && this.heldTotal.chars === before.chars) break
    }
  }

  /**
   * Drops a connection's oldest held records until it holds at most `records` and `chars`, keeping
   * the few its header needs while that is enough.
   */
  private trim(connectionId: string, records: number, chars: number): void {
    const entries = this.queue.filter(
      (held): held is HeldRecords => held.kind === 'records' && held.connectionId === connectionId,
    )
    const first = entries[0]
    const held = this.heldBy.get(connectionId)
    if (!first || !held) return
    const skipped: SkippedPush = first.skipped ?? {
      kind: 'skipped',
      connectionId,
      rows: 0,
      events: 0,
      bytes: 0,
    }
    const isOver = () => held.records > records || held.chars > chars
    for (const keepsHeader of [true, false]) {
      for (const entry of entries) {
        for (let i = 0; i < entry.parts.length && isOver(); i++) {
          const part = entry.parts[i]!
          const kept: WireRecord[] = []
          let j = part.start
          for (; j < part.records.length && isOver(); j++) {
            const record = part.records[j]!
            if (keepsHeader && KEPT_KINDS.has(record.kind)) kept.push(record)
            else {
              noteSkipped(skipped, record)
              this.count(connectionId, -1, -charsOf(record))
            }
          }
          // Mostly nothing of the cut is kept: the part starts later, no copy.
          if (kept.length === 0) part.start = j
          else {
            for (; j < part.records.length; j++) kept.push(part.records[j]!)
            entry.parts[i] = { records: kept, start: 0, sentAtMs: part.sentAtMs }
          }
        }
        // A part all dropped goes: it would keep its whole batch alive until the page reads again.
        entry.parts = entry.parts.filter((part) => part.start < part.records.length)
      }
      // Still over (a stream of nothing but reconnects): the kept kinds go too.
      if (!isOver()) break
    }
    first.skipped = skipped
  }

  /** The next message: held pushes from the front, records up to the per-message limits. */
  private nextMessage(): Push[] {
    const message: Push[] = []
    let room = this.limits.maxRecordsPerMessage
    let charRoom = this.limits.maxCharsPerMessage
    while (this.queue.length > 0 && room > 0 && charRoom > 0) {
      const held = this.queue[0]!
      if (held.kind !== 'records') {
        message.push(held)
        this.queue.shift()
        continue
      }
      if (held.skipped) message.push(held.skipped)
      held.skipped = undefined
      const records: WireRecord[] = []
      let chars = 0
      let sentAtMs: number | undefined
      while (held.parts.length > 0 && room > 0 && charRoom > 0) {
        const part = held.parts[0]!
        const record = part.records[part.start++]!
        records.push(record)
        const size = charsOf(record)
        chars += size
        charRoom -= size
        room--
        sentAtMs = part.sentAtMs
        if (part.start === part.records.length) held.parts.shift()
      }
      this.count(held.connectionId, -records.length, -chars)
      if (records.length > 0)
        message.push({ kind: 'records', connectionId: held.connectionId, records, sentAtMs })
      if (held.parts.length === 0) this.queue.shift()
    }
    return message
  }
}

/** Counts a record dropped on the way in a `skipped` push. */
export function noteSkipped(skipped: SkippedPush, record: WireRecord): void {
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
  pressureOf: (connectionId: string) => number
  /** The page applied a message. */
  acknowledge: () => void
  /** A new page loaded: what the old one was sent is never acknowledged, what waited for it never goes. */
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
    pressureOf: (connectionId) => outbox.pressureOf(connectionId),
    acknowledge() {
      unacknowledged = Math.max(0, unacknowledged - 1)
      outbox.pump()
    },
    reset() {
      unacknowledged = 0
      outbox.clear() // the old page's connections: the new one knows nothing of them (they are stopped)
    },
  }
}
