import { expect, test } from 'vitest'
import type { ReplayPosition } from '../../../../shared/api.ts'
import type { StreamRecord } from '../../../../shared/sse/stream-records.ts'
import { RecordingPlayer } from '../../../../main/backend/recording-player.ts'

const T0 = 1_000_000
const records: StreamRecord[] = [
  {
    kind: 'comment',
    seq: 0,
    atMs: T0,
    attempt: 0,
    text: 'hi',
    startByte: 0,
    endByte: 1,
    firstChunkSeq: 0,
    lastChunkSeq: 0,
  },
  ...[1, 2, 3, 4].map((n): StreamRecord => ({
    kind: 'event',
    seq: n,
    atMs: T0 + n * 100,
    attempt: 0,
    type: 'message',
    data: String(n),
    lastEventId: '',
    startByte: 0,
    endByte: 1,
    firstChunkSeq: 0,
    lastChunkSeq: 0,
  })),
]

function play(speed: number | 'instant') {
  const delivered: StreamRecord[] = []
  const positions: ReplayPosition[] = []
  const player = new RecordingPlayer(
    records,
    speed,
    (batch) => void delivered.push(...(batch as StreamRecord[])),
    (p) => void positions.push(p),
  )
  const data = () => delivered.filter((r) => r.kind === 'event').map((r) => (r as { data: string }).data)
  return { player, delivered, positions, data }
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

test('replay: instant delivers everything at once', async () => {
  const { data, positions } = play('instant')
  await wait(20)
  expect(data()).toEqual(['1', '2', '3', '4'])
  expect(positions.at(-1)).toMatchObject({ isDone: true, durationMs: 400 })
})

test('replay: at 1x, records arrive on the recorded schedule', async () => {
  const { data } = play(1)
  await wait(150)
  expect(data()).toEqual(['1'])
  await wait(320)
  expect(data()).toEqual(['1', '2', '3', '4'])
})

test('replay: pause, step event by event, seek forward, resume', async () => {
  const { player, data, positions } = play(1)
  player.control({ action: 'pause' })
  await wait(250)
  expect(data()).toEqual([])
  player.control({ action: 'step' })
  expect(data()).toEqual(['1'])
  player.control({ action: 'step' })
  expect(data()).toEqual(['1', '2'])
  player.control({ action: 'seek', offsetMs: 300 })
  expect(data()).toEqual(['1', '2', '3'])
  expect(positions.at(-1)).toMatchObject({ isPaused: true, offsetMs: 300 })
  player.control({ action: 'speed', speed: 10 })
  player.control({ action: 'resume' })
  await wait(100)
  expect(data()).toEqual(['1', '2', '3', '4'])
})

test('replay: seeking back clears the view and delivers up to that point again', async () => {
  const delivered: string[] = []
  let resets = 0
  const player = new RecordingPlayer(
    records,
    'instant',
    (batch) =>
      delivered.push(...batch.filter((r) => r.kind === 'event').map((r) => (r as { data: string }).data)),
    () => {},
    () => {
      resets++
      delivered.length = 0
    },
  )
  await wait(20)
  expect(delivered).toEqual(['1', '2', '3', '4'])
  player.control({ action: 'pause' })
  player.control({ action: 'seek', offsetMs: 200 })
  expect(resets).toBe(1)
  expect(delivered).toEqual(['1', '2'])
  expect(player.position).toMatchObject({ offsetMs: 200, isDone: false })
})

test('replay: while its page is behind, a replay waits with its clock stopped, then goes on from there', async () => {
  // Events 400 ms apart: a slow spell of the machine must be long to blur the steps below.
  const spaced = records.map((record, n) => ({ ...record, atMs: T0 + (n === 0 ? 0 : 100 + (n - 1) * 400) }))
  const delivered: string[] = []
  let isKeepingUp = true
  const player = new RecordingPlayer(
    spaced,
    1,
    (batch) => {
      for (const record of batch) if (record.kind === 'event') delivered.push(record.data)
    },
    () => {},
    () => {},
    () => isKeepingUp,
  )
  await expect.poll(() => delivered).toEqual(['1']) // at 100 ms
  isKeepingUp = false
  await wait(1000) // events 2 and 3 (500 and 900 ms) fall due meanwhile: none goes
  expect(delivered).toEqual(['1'])
  isKeepingUp = true
  // The clock goes on from where it stopped, not from 1.1 s: the events come one by one again.
  while (delivered.length === 1) await wait(5)
  expect(delivered).toEqual(['1', '2'])
  await expect.poll(() => delivered, { timeout: 3000 }).toEqual(['1', '2', '3', '4'])
  player.stop()
})

test('replay: a long seek delivers a batch at once and the rest as the page takes it, paused or not', async () => {
  const many: StreamRecord[] = Array.from({ length: 20_000 }, (_, n) => ({
    ...(records[1] as Extract<StreamRecord, { kind: 'event' }>),
    seq: n,
    atMs: T0 + n,
    data: String(n),
  }))
  const batches: number[] = []
  let isKeepingUp = true
  const player = new RecordingPlayer(
    many,
    1,
    (batch) => void batches.push(batch.length),
    () => {},
    () => {},
    () => isKeepingUp,
  )
  player.control({ action: 'pause' })
  isKeepingUp = false
  player.control({ action: 'seek', offsetMs: 19_999 })
  expect(batches.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(5000)
  await wait(100)
  expect(batches.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(5000) // the page is behind: it waits
  isKeepingUp = true
  await expect.poll(() => player.position.isDone).toBe(true)
  expect(batches.reduce((a, b) => a + b, 0)).toBe(20_000)
  expect(Math.max(...batches)).toBeLessThanOrEqual(5000)
  expect(player.position).toMatchObject({ isPaused: true, offsetMs: 19_999 })
})
