import type { ReplayControl, ReplayPosition, ReplaySpeed } from '../../shared/api.ts'
import type { AnnotationRecord } from '../../shared/recording/recording-format.ts'
import type { StreamRecord } from '../../shared/sse/stream-records.ts'

type PlayedRecord = StreamRecord | AnnotationRecord

const INSTANT_BATCH = 5000
/** How often a replay whose page is behind looks again. */
const WAIT_FOR_PAGE_MS = 20

/**
 * Delivers a recording's records to the viewer as they arrived, scaled by speed, or all at once;
 * pauses, steps to the next event, and seeks (forward: everything up to the point arrives at once;
 * back: the face is told to clear, and the records up to the point arrive again).
 */
export class RecordingPlayer {
  private index = 0
  /** Records delivered (the index runs to the end when stopped). */
  private delivered = 0
  private offsetMs = 0
  private speed: ReplaySpeed
  private isPaused = false
  private timer: NodeJS.Timeout | undefined
  private startedAtMs = 0
  private startedOffsetMs = 0
  /** A seek's records still to deliver (up to this index), a batch a tick while the page keeps up. */
  private catchUpEnd = 0
  private readonly firstAtMs: number
  private readonly records: readonly PlayedRecord[]
  private readonly deliver: (batch: PlayedRecord[]) => void
  private readonly onPosition: (position: ReplayPosition) => void
  private readonly onReset: () => void
  private readonly isPageKeepingUp: () => boolean

  /**
   * `isPageKeepingUp` says whether the page can take more now: while it cannot, the replay waits (its
   * clock stopped) instead of its records being dropped on the way, as a live stream's are.
   */
  constructor(
    records: readonly PlayedRecord[],
    speed: ReplaySpeed,
    deliver: (batch: PlayedRecord[]) => void,
    onPosition: (position: ReplayPosition) => void,
    onReset: () => void = () => {},
    isPageKeepingUp: () => boolean = () => true,
  ) {
    this.onReset = onReset
    this.isPageKeepingUp = isPageKeepingUp
    this.records = records
    this.speed = speed
    this.deliver = deliver
    this.onPosition = onPosition
    this.firstAtMs = records[0]?.atMs ?? 0
    // Start on the next tick: the face registers the connection first.
    this.schedule(0)
  }

  get position(): ReplayPosition {
    const durationMs = (this.records.at(-1)?.atMs ?? this.firstAtMs) - this.firstAtMs
    return {
      offsetMs: this.offsetMs,
      durationMs,
      isPaused: this.isPaused,
      isDone: this.index >= this.records.length,
      speed: this.speed,
    }
  }

  /** The records delivered so far (since the last seek back). */
  played(): readonly PlayedRecord[] {
    return this.records.slice(0, this.delivered)
  }

  control(control: ReplayControl): void {
    switch (control.action) {
      case 'pause':
        this.isPaused = true
        if (!this.isCatchingUp) clearTimeout(this.timer)
        break
      case 'resume':
        this.isPaused = false
        this.schedule(0)
        break
      case 'step': {
        this.isPaused = true
        if (!this.isCatchingUp) clearTimeout(this.timer)
        // Everything up to and including the next event.
        let end = this.index
        while (end < this.records.length && this.records[end]!.kind !== 'event') end++
        this.deliverUpTo(Math.min(this.records.length, end + 1))
        break
      }
      case 'speed':
        this.speed = control.speed
        if (!this.isPaused) this.schedule(0)
        break
      case 'seek': {
        if (control.offsetMs < this.offsetMs) {
          // Backwards: the face clears what it shows, and the records are delivered again up to there.
          this.onReset()
          this.index = 0
          this.delivered = 0
          this.offsetMs = 0
        }
        // The slider's last position (whole ms) means the end, whatever fraction of a ms remains.
        const isEnd = control.offsetMs >= this.position.durationMs - 1
        let end = isEnd ? this.records.length : this.index
        while (end < this.records.length && this.records[end]!.atMs - this.firstAtMs <= control.offsetMs)
          end++
        // A batch now; the rest (a seek can span millions) as the page takes them.
        this.deliverUpTo(Math.min(end, this.index + INSTANT_BATCH))
        this.catchUpEnd = end
        this.offsetMs = Math.max(this.offsetMs, control.offsetMs)
        if (!this.isPaused || this.isCatchingUp) this.schedule(0)
        break
      }
    }
    this.onPosition(this.position)
  }

  private get isCatchingUp(): boolean {
    return this.index < this.catchUpEnd
  }

  stop(): void {
    clearTimeout(this.timer)
    this.index = this.records.length
  }

  private deliverUpTo(end: number): void {
    if (end <= this.index) return
    const batch = this.records.slice(this.index, end)
    this.index = end
    this.delivered = end
    this.offsetMs = Math.max(this.offsetMs, batch.at(-1)!.atMs - this.firstAtMs)
    for (let i = 0; i < batch.length; i += INSTANT_BATCH) this.deliver(batch.slice(i, i + INSTANT_BATCH))
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer)
    this.startedAtMs = performance.now()
    this.startedOffsetMs = this.offsetMs
    this.timer = setTimeout(() => this.tick(), ms)
  }

  private tick(): void {
    if (this.index >= this.records.length) return
    if (!this.isPageKeepingUp()) return this.schedule(WAIT_FOR_PAGE_MS) // the clock resumes where it is
    if (this.isCatchingUp) {
      this.deliverUpTo(Math.min(this.catchUpEnd, this.index + INSTANT_BATCH))
      this.onPosition(this.position)
      if (this.isCatchingUp || !this.isPaused) this.schedule(0) // then plays on from the seek's point
      return
    }
    if (this.isPaused) return
    if (this.speed === 'instant') {
      this.deliverUpTo(Math.min(this.records.length, this.index + INSTANT_BATCH))
    } else {
      const now = this.startedOffsetMs + (performance.now() - this.startedAtMs) * this.speed
      let end = this.index
      while (end < this.records.length && this.records[end]!.atMs - this.firstAtMs <= now) end++
      this.deliverUpTo(end)
      this.offsetMs = Math.max(this.offsetMs, now)
    }
    this.onPosition(this.position)
    if (this.index >= this.records.length) return
    const waitMs =
      this.speed === 'instant'
        ? 0
        : Math.max(0, (this.records[this.index]!.atMs - this.firstAtMs - this.offsetMs) / this.speed)
    this.timer = setTimeout(() => this.tick(), Math.min(waitMs, 250))
  }
}
