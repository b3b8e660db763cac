import type { Push, WireRecord } from '../../shared/api.ts'

/** Collects pushes and delivers them in batches: every `intervalMs`, or sooner once `maxRecords` pile up. */
export class PushBatcher {
  private pending: Push[] = []
  private pendingRecords = 0
  private timer: NodeJS.Timeout | undefined
  private readonly listeners = new Set<(batch: readonly Push[]) => void>()

  private readonly intervalMs: number
  private readonly maxRecords: number

  constructor(intervalMs = 50, maxRecords = 20_000) {
    this.intervalMs = intervalMs
    this.maxRecords = maxRecords
  }

  subscribe(listener: (batch: readonly Push[]) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  add(push: Push): void {
    // Consecutive record pushes of one connection merge into one message.
    // The batcher owns the records array of a pending push (copied once), so merging appends in place.
    const last = this.pending.at(-1)
    if (push.kind === 'records' && last?.kind === 'records' && last.connectionId === push.connectionId) {
      for (const record of push.records) (last.records as WireRecord[]).push(record)
    } else {
      this.pending.push(push.kind === 'records' ? { ...push, records: [...push.records] } : push)
    }
    if (push.kind === 'records') this.pendingRecords += push.records.length
    if (this.pendingRecords >= this.maxRecords) this.flush()
    else this.timer ??= setTimeout(() => this.flush(), this.intervalMs)
  }

  flush(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    if (this.pending.length === 0) return
    const sentAtMs = Date.now()
    const batch = this.pending.map((push) => (push.kind === 'records' ? { ...push, sentAtMs } : push))
    this.pending = []
    this.pendingRecords = 0
    for (const listener of this.listeners) listener(batch)
  }

  close(): void {
    this.flush()
    this.listeners.clear()
  }
}
