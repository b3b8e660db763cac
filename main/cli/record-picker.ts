import type { StreamRecord } from '../../shared/sse/stream-records.ts'

/** Which events `watch` and `replay` show, and when they have shown enough: --type, -n. */
export type EventSelection = {
  /** Event types to show (others are left out and not counted); empty: all. */
  types: ReadonlySet<string>
  /** Stop after this many shown events. */
  maxEvents?: number
}

/**
 * Picks the records to print from each batch, counting shown events. Once the last wanted event is
 * picked, the rest of its batch is dropped and `isSatisfied` turns true (the caller closes the stream;
 * the close record that follows is still picked).
 */
export function createRecordPicker(selection: EventSelection) {
  let shownEvents = 0
  let isSatisfied = false
  return {
    pick(records: readonly StreamRecord[]): StreamRecord[] {
      const picked: StreamRecord[] = []
      for (const record of records) {
        if (record.kind === 'event') {
          if (isSatisfied) continue
          if (selection.types.size > 0 && !selection.types.has(record.type)) continue
          picked.push(record)
          shownEvents++
          if (selection.maxEvents !== undefined && shownEvents >= selection.maxEvents) {
            isSatisfied = true
            break
          }
        } else if (!isSatisfied || record.kind === 'close') {
          picked.push(record)
        }
      }
      return picked
    },
    get isSatisfied() {
      return isSatisfied
    },
  }
}
