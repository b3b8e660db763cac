import type { Push, WireRecord } from '../../shared/api.ts'
import type { Backend, RejoinedConnection } from './backend.ts'
import { PushOutbox, type OutboxLimits } from './push-outbox.ts'

/** Read back no further while this much of a connection's share of the page's outbox waits (as a replay). */
const MAX_PRESSURE = 0.2
const WAIT_FOR_PAGE_MS = 20

/** What a page started, oldest first: what a reload gives it back. */
export type PageWork = {
  connectionIds: readonly string[]
  checkRunIds: readonly string[]
  servedRecordingIds: readonly string[]
}

/** Where a page's pushes go (the browser face's outbox, the desktop app's acknowledged one). */
type PageOutbox = Pick<PushOutbox, 'add' | 'pressureOf'>

/**
 * Gives a reloaded page back what it had: each connection it started, as a tab again (a `rejoined`
 * push), each check run (`check-rejoined`) and where its recordings are served (`served`); then the
 * connections' records so far, then what comes live. Until the records are read back, live pushes
 * wait in an outbox of their own (capped as the page's: the oldest go first, counted), less the
 * records the read-back holds already (a seq it reached).
 */
export class PageRejoin {
  private isDone = false
  private readonly waiting: PushOutbox
  /** Per connection: the latest seq the read-back holds; live records up to it are dropped. */
  private readonly readBackTo = new Map<string, number>()
  private readonly outbox: PageOutbox

  constructor(
    backend: Pick<Backend, 'rejoin' | 'rejoinCheckRun' | 'servedOf'>,
    page: PageWork,
    outbox: PageOutbox,
    isGone: () => boolean,
    limits?: Partial<OutboxLimits>,
  ) {
    this.outbox = outbox
    this.waiting = new PushOutbox(
      (batch) => outbox.add(batch),
      () => this.isDone,
      limits,
    )
    const rejoined: RejoinedConnection[] = []
    for (const id of page.connectionIds) {
      const connection = backend.rejoin(id)
      if (!connection) continue // closed since
      rejoined.push(connection)
      this.readBackTo.set(id, connection.tab.lastSeq)
    }
    outbox.add(rejoined.map((connection) => connection.tab))
    // Check runs: their steps so far (later steps say their index) or their outcome.
    const runs = [...page.checkRunIds].map((runId) => backend.rejoinCheckRun(runId))
    outbox.add(runs.filter((run) => run !== undefined))
    for (const recordingId of page.servedRecordingIds)
      void backend.servedOf(recordingId).then((served) => served && !isGone() && outbox.add([served]))
    void this.readBack(rejoined, isGone)
      .catch(() => {}) // a recording that cannot be read back: its tab shows what comes from now on
      .finally(() => {
        this.isDone = true
        this.waiting.pump()
      })
  }

  /** Routes the backend's pushes for the page: in order after the read-back. */
  add(batch: readonly Push[]): void {
    // Records delivered before the read-back's point can come after it is done (the backend batches).
    const unread = this.readBackTo.size > 0 ? batch.map((push) => this.unread(push)) : batch
    if (this.isDone) this.outbox.add(unread)
    else this.waiting.add(unread)
  }

  /** A push less the records the read-back holds. */
  private unread(push: Push): Push {
    if (push.kind === 'reset') this.readBackTo.delete(push.connectionId) // its seqs start again
    if (push.kind !== 'records') return push
    const lastSeq = this.readBackTo.get(push.connectionId)
    if (lastSeq === undefined) return push
    const isNew = (record: WireRecord) => record.kind === 'annotation' || record.seq > lastSeq
    if (push.records.some((record) => record.kind !== 'annotation' && record.seq > lastSeq))
      this.readBackTo.delete(push.connectionId) // past the read-back: what follows is all new
    return push.records.every(isNew) ? push : { ...push, records: push.records.filter(isNew) }
  }

  private async readBack(rejoined: readonly RejoinedConnection[], isGone: () => boolean): Promise<void> {
    for (const { tab, pushes } of rejoined) {
      for await (const batch of pushes) {
        while (this.outbox.pressureOf(tab.connectionId) > MAX_PRESSURE && !isGone())
          await new Promise((resolve) => setTimeout(resolve, WAIT_FOR_PAGE_MS))
        if (isGone()) return
        this.outbox.add(batch)
      }
    }
  }
}
