import type { Push, WireRecord } from '../../shared/api.ts'
import type { AnnotationRecord } from '../../shared/recording/recording-format.ts'
import type { StreamRecord } from '../../shared/sse/stream-records.ts'
import { readRecordingFileLazily } from '../recording/recording-file.ts'
import type { LiveRecording } from '../recording/session-library.ts'
import { KEPT_KINDS, noteSkipped } from './push-outbox.ts'

type SkippedPush = Extract<Push, { kind: 'skipped' }>
type AnyRecord = StreamRecord | AnnotationRecord

/** Events a reloaded page is sent back at most per connection: as many as a tab holds (its row limit). */
export const READ_BACK_MAX_EVENTS = 1_000_000
/** Records a page is sent at a time. */
const BATCH = 5000
/** Records passed over between turns (framing a long recording takes seconds). */
const PER_TURN = 50_000

const toWire = (record: AnyRecord): WireRecord => {
  if (record.kind !== 'chunk') return record
  const { bytes, ...rest } = record
  return { ...rest, sizeBytes: bytes.length }
}

/** A live connection's records so far, from its recording file (flushed first), up to the seq given. */
export async function recordedUpTo(recording: LiveRecording, lastSeq: number): Promise<Iterable<AnyRecord>> {
  await recording.flush()
  const records = readRecordingFileLazily(recording.file).records
  return (function* () {
    for (const record of records) {
      if (record.kind !== 'annotation' && record.seq > lastSeq) return
      yield record
    }
  })()
}

/**
 * A connection's records as pushes to a reloaded page, in batches. Past `maxEvents` events only the
 * newest are sent (the tab would drop the others as they came): the older ones are counted in a
 * `skipped` push, as a page that fell behind is told, and only the records its header is made of go.
 */
export async function* readBackPushes(
  connectionId: string,
  records: Iterable<AnyRecord> | Promise<Iterable<AnyRecord>>,
  eventCount: number,
  maxEvents = READ_BACK_MAX_EVENTS,
): AsyncGenerator<Push[]> {
  let toSkip = Math.max(0, eventCount - maxEvents)
  const skipped: SkippedPush = {
    kind: 'skipped',
    connectionId,
    rows: 0,
    events: 0,
    bytes: 0,
    isReadBack: true,
  }
  let batch: WireRecord[] = []
  let passed = 0
  const pushes = (): Push[] => {
    const sent: Push[] = [{ kind: 'records', connectionId, records: batch }]
    batch = []
    if (skipped.rows === 0 && skipped.bytes === 0) return sent
    const first = { ...skipped }
    skipped.rows = skipped.events = skipped.bytes = 0
    return [first, ...sent]
  }
  for (const record of await records) {
    const wire = toWire(record)
    if (toSkip > 0 && !KEPT_KINDS.has(wire.kind)) {
      noteSkipped(skipped, wire)
      if (wire.kind === 'event') toSkip--
    } else {
      batch.push(wire)
      if (batch.length === BATCH) yield pushes()
    }
    if (++passed % PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve))
  }
  if (batch.length > 0 || skipped.rows > 0 || skipped.bytes > 0) yield pushes()
}
