import { expect, test } from 'vitest'
import type { Push, WireRecord } from '../../../../shared/api.ts'
import { readBackPushes } from '../../../../main/backend/read-back.ts'
import { collectStream } from '../../../support/collect-stream.ts'
import { useDemoServer } from '../../../support/demo.ts'

const demo = useDemoServer()

async function pushesOf(...args: Parameters<typeof readBackPushes>): Promise<Push[]> {
  const pushes: Push[] = []
  for await (const batch of readBackPushes(...args)) pushes.push(...batch)
  return pushes
}

const recordsIn = (pushes: readonly Push[]): WireRecord[] =>
  pushes.flatMap((push) => (push.kind === 'records' ? push.records : []))

test('read-back: a connection’s records go back as they were (chunks without their bytes), in batches', async () => {
  const { records, events } = await collectStream({
    url: `${demo.url}/ticker?interval=1&count=30`,
    reconnect: { isEnabled: false },
  })
  const pushes = await pushesOf('c1', records, events.length)
  expect(pushes.every((push) => push.kind === 'records' && push.connectionId === 'c1')).toBe(true)
  const back = recordsIn(pushes)
  expect(back.map((record) => record.kind)).toEqual(records.map((record) => record.kind))
  const chunk = back.find((record) => record.kind === 'chunk')
  expect(chunk).toHaveProperty('sizeBytes')
  expect(chunk).not.toHaveProperty('bytes')
})

test('read-back: past the events a tab holds, the oldest are counted in a skipped push, the header’s records kept', async () => {
  const { records, events } = await collectStream({
    url: `${demo.url}/ticker?interval=1&count=30&retry=1500`,
    reconnect: { isEnabled: false },
  })
  expect(events).toHaveLength(30)
  const pushes = await pushesOf('c1', records, events.length, 10)
  const [skipped] = pushes
  expect(skipped).toMatchObject({
    kind: 'skipped',
    connectionId: 'c1',
    events: 20,
    lastEventId: '20',
    retryMs: 1500,
  })
  const back = recordsIn(pushes)
  expect(back.filter((r) => r.kind === 'event').map((r) => (r.kind === 'event' ? r.id : ''))).toEqual(
    events.slice(20).map((event) => event.id),
  )
  // The request, the response and the end are what the connection's header is made of: never dropped.
  expect(back.filter((r) => ['request', 'open', 'close'].includes(r.kind)).map((r) => r.kind)).toEqual([
    'request',
    'open',
    'close',
  ])
  // Everything is either sent or counted.
  const skippedRows = skipped?.kind === 'skipped' ? skipped.rows : 0
  const rows = records.filter((r) => r.kind !== 'chunk').length
  expect(back.filter((r) => r.kind !== 'chunk').length + skippedRows).toBe(rows)
})
