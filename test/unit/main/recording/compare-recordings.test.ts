import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { compareRecordingFiles } from '../../../../main/recording/compare-recordings.ts'
import { importToRecording } from '../../../../main/recording/library-files.ts'

const dir = mkdtempSync(join(tmpdir(), 'sse-compare-'))
/** A recording file made from SSE text, as the Library's import makes one. */
const recording = (name: string, sse: string) => {
  const file = join(dir, `${name}.sserec`)
  writeFileSync(file, importToRecording(`${name}.sse`, new TextEncoder().encode(sse)).bytes)
  return file
}

test('compare files: by id when both carry ids throughout; by position when the first has one without', async () => {
  const withIds = recording('ids', 'id: 1\ndata: a\n\nid: 2\ndata: b\n\nid: 3\ndata: c\n\n')
  const shifted = recording('shifted', 'id: 2\ndata: b\n\nid: 3\ndata: c\n\nid: 4\ndata: d\n\n')
  const byId = await compareRecordingFiles(withIds, shifted)
  expect(byId.diff.matchedBy).toBe('id')
  expect(byId.totals).toEqual({ missing: 1, extra: 1, changed: 0 })
  expect(byId.events).toEqual({ a: 3, b: 3 })
  // The first's last event has no id: it is read again, matched by position (all three differ).
  const oneWithout = recording('one-without', 'id: 2\ndata: b\n\nid: 3\ndata: c\n\ndata: d\n\n')
  const byPosition = await compareRecordingFiles(oneWithout, withIds)
  expect(byPosition.diff.matchedBy).toBe('position')
  expect(byPosition.totals).toEqual({ missing: 0, extra: 0, changed: 3 })
  expect(byPosition.events).toEqual({ a: 3, b: 3 })
  // An empty first: by position, everything in the second is extra.
  const empty = await compareRecordingFiles(recording('empty', ': nothing\n\n'), withIds)
  expect(empty.diff.matchedBy).toBe('position')
  expect(empty.totals).toEqual({ missing: 0, extra: 3, changed: 0 })
})

test('compare files: the second is held up to a limit, past which it is refused naming it; the first is not', async () => {
  const long = recording('long', 'data: x\n\n'.repeat(50))
  const short = recording('short', 'data: x\n\n'.repeat(5))
  await expect(compareRecordingFiles(short, long, { maxEvents: 10 })).rejects.toThrow(
    `${long} holds more than 10 events, too many to hold for a comparison`,
  )
  const comparison = await compareRecordingFiles(long, short, { maxEvents: 10, listLimit: 4 })
  expect(comparison.totals.missing).toBe(45)
  expect(comparison.diff.missing).toHaveLength(4)
})
