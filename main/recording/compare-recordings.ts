import {
  areAllWithIds,
  EventDiffer,
  type ComparedEvent,
  type DiffTotals,
  type EventDiff,
} from '../../shared/recording/diff-recordings.ts'
import type { IgnoredFields } from '../../shared/recording/json-changes.ts'
import { MAX_LOADED_RECORDS, RecordingError } from '../../shared/recording/recording-format.ts'
import { forEachInTurns } from '../runtime/in-turns.ts'
import { readRecordingFileLazily } from './recording-file.ts'

/** A recording file's events as they are read (its chunks and other records go by). */
function* eventsOfFile(file: string): Generator<ComparedEvent> {
  try {
    for (const record of readRecordingFileLazily(file).records) if (record.kind === 'event') yield record
  } catch (error) {
    // Of the two files, say which one is no recording.
    if (error instanceof RecordingError && !error.message.includes(file))
      throw new RecordingError(`${file}: ${error.message}`)
    throw error
  }
}

export type RecordingComparison = {
  diff: EventDiff
  totals: DiffTotals
  /** How many events each had. */
  events: { a: number; b: number }
}

/**
 * Compares the events of two recording files. B's events are held (what a comparison reads of each,
 * not the chunks that carried them), A's are compared as they are read; in turns with other work. Two
 * 960 MB recordings took 4.2 GB and 19.5 s held whole.
 */
export async function compareRecordingFiles(
  aFile: string,
  bFile: string,
  options: { ignored?: IgnoredFields; listLimit?: number; maxEvents?: number } = {},
): Promise<RecordingComparison> {
  const maxEvents = options.maxEvents ?? MAX_LOADED_RECORDS
  const b: ComparedEvent[] = []
  await forEachInTurns(eventsOfFile(bFile), (event) => {
    if (b.length === maxEvents)
      throw new RecordingError(
        `${bFile} holds more than ${maxEvents.toLocaleString('en')} events, too many to hold for a comparison: the second of the two is held, the first (of any length) is read as it comes`,
      )
    b.push({ type: event.type, data: event.data, id: event.id, atMs: event.atMs })
  })
  // By id when both have events, each with an id: B is known, A is compared by id as it comes, and
  // again by position should it have none (or an event without one).
  const compareA = async (isById: boolean): Promise<EventDiffer | undefined> => {
    const differ = new EventDiffer(b, { isById, ...options })
    let isAllWithIds = true
    await forEachInTurns(eventsOfFile(aFile), (event) => {
      if (isById && !event.id) return (isAllWithIds = false)
      differ.compare(event)
    })
    return !isById || (isAllWithIds && differ.compared > 0) ? differ : undefined
  }
  let differ = areAllWithIds(b) ? await compareA(true) : undefined
  differ ??= (await compareA(false))!
  return { diff: differ.result(), totals: differ.totals, events: { a: differ.compared, b: b.length } }
}
