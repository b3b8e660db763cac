import { expect, test } from 'vitest'
import type { RecordingSummary } from '../../../shared/recording/library.ts'
import { DEFAULT_RECORDING_SORT, nextSort, sortRecordings } from '../../../renderer/src/library-sort.ts'

const recording = (name: string, startedAtMs: number, events: number, outcome = 'eof'): RecordingSummary => ({
  id: name,
  name,
  url: `http://h/${name}`,
  method: 'GET',
  startedAtMs,
  durationMs: events * 10,
  events,
  bytes: events * 100,
  outcome,
  notes: '',
  tags: [],
  sizeBytes: events * 120,
})

const list = [recording('ticker 10', 3, 5), recording('ticker 9', 1, 50, 'aborted'), recording('Alpha', 2, 5)]
const names = (sorted: RecordingSummary[]) => sorted.map((r) => r.name)

test('library sort: newest first by default; names in natural order; ties keep the newest first', () => {
  expect(names(sortRecordings(list, DEFAULT_RECORDING_SORT))).toEqual(['ticker 10', 'Alpha', 'ticker 9'])
  expect(names(sortRecordings(list, { key: 'name', isAscending: true }))).toEqual([
    'Alpha',
    'ticker 9',
    'ticker 10',
  ])
  expect(names(sortRecordings(list, { key: 'events', isAscending: false }))).toEqual([
    'ticker 9',
    'ticker 10', // 5 events each: the newer first
    'Alpha',
  ])
  expect(names(sortRecordings(list, { key: 'outcome', isAscending: true }))[0]).toBe('ticker 9')
  expect(names(list)).toEqual(['ticker 10', 'ticker 9', 'Alpha']) // the input is left alone
})

test('library sort: a heading clicked again turns the order around; a new one starts where it is useful', () => {
  const byEvents = nextSort(DEFAULT_RECORDING_SORT, 'events')
  expect(byEvents).toEqual({ key: 'events', isAscending: false })
  expect(nextSort(byEvents, 'events')).toEqual({ key: 'events', isAscending: true })
  expect(nextSort(byEvents, 'name')).toEqual({ key: 'name', isAscending: true })
  expect(nextSort(DEFAULT_RECORDING_SORT, 'started')).toEqual({ key: 'started', isAscending: true })
})
