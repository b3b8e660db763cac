import { expect, test } from 'vitest'
import { readBackSession } from '../../support/records.ts'
import { toHar } from '../../../shared/recording/export-formats.ts'
import { collectStream } from '../../support/collect-stream.ts'
import { useDemoServer } from '../../support/demo.ts'
import { fromHar } from '../../../shared/recording/har-import.ts'
import { deriveRecords } from '../../../shared/recording/recording-format.ts'
import type { EventRecord, OpenRecord } from '../../../shared/sse/stream-records.ts'

const demo = useDemoServer()

/** What a recording's events say, attempt by attempt. */
const eventsOf = (records: readonly { kind: string }[]) =>
  (records.filter((r) => r.kind === 'event') as EventRecord[]).map(
    ({ attempt, type, data, id, lastEventId }) => ({
      attempt,
      type,
      data,
      id,
      lastEventId,
    }),
  )

test('HAR import: every entry of the stream is an attempt, so a HAR of a stream that reconnected keeps its whole story', async () => {
  // A stream cut after 3 events that resumes with Last-Event-ID: two attempts, one HAR entry each.
  const url = `${demo.url}/ticker?interval=2&count=6&breakAfter=3&retry=10`
  const live = await collectStream({ url, reconnect: { isEnabled: true, maxAttempts: 1 } })
  const har = JSON.parse(JSON.stringify(toHar(live.records, 'test'))) as { log: { entries: unknown[] } }
  expect(har.log.entries).toHaveLength(2)
  const session = fromHar(har)
  const loaded = readBackSession(session)
  expect(loaded.problems).toEqual([])
  expect(eventsOf(loaded.records)).toEqual(eventsOf(live.records))
  expect(eventsOf(loaded.records).map((e) => e.attempt)).toEqual([0, 0, 0, 1, 1, 1])
  const reconnect = loaded.records.find((r) => r.kind === 'reconnect') as {
    lastEventId: string
    delayMs: number
  }
  expect(reconnect).toMatchObject({ lastEventId: '3' })
  expect(Number.isInteger(reconnect.delayMs)).toBe(true)
  const closes = loaded.records.filter((r) => r.kind === 'close') as { willReconnect: boolean }[]
  expect(closes.map((c) => c.willReconnect)).toEqual([true, false])
})

/** A HAR as a tool other than a browser might write it: fields of other shapes than HAR says. */
const oddHar = {
  log: {
    entries: [
      'not an entry',
      {
        startedDateTime: 1795820303049,
        request: {
          method: 'GET',
          url: 'https://stream.example.test/events',
          headers: [{ name: 'Accept', value: 'text/event-stream' }, { name: 7, value: {} }, null],
          postData: { text: { messages: [] } },
        },
        response: {
          status: '200',
          statusText: null,
          headers: [{ name: 'Content-Type', value: 'text/event-stream' }, 'x-junk'],
        },
        timings: { dns: '3', connect: 1e308, wait: 12 },
        _eventSourceMessages: [
          { type: 'tick', id: 1, data: 42, time: 1795820303.5 },
          { type: ['x'], data: 'second', time: 1e308 },
          'not a message',
        ],
      },
    ],
  },
}

test('HAR import: fields of other types than HAR says are read as absent, never trusted', () => {
  const session = fromHar(oddHar)
  expect(session.request).toEqual({
    url: 'https://stream.example.test/events',
    method: 'GET',
    headers: [['Accept', 'text/event-stream']],
  })
  const stored = [...session.stored]
  const open = stored.find((r) => r.kind === 'open') as OpenRecord
  expect(open).toMatchObject({
    status: 200,
    statusText: 'OK',
    headers: [['Content-Type', 'text/event-stream']],
    timeToHeadersMs: 12,
  })
  // The recording made of it reads back whole: every record has the types the format says.
  const loaded = readBackSession({ ...session, stored })
  expect(loaded.problems).toEqual([])
  const events = loaded.records.filter((r): r is EventRecord => r.kind === 'event')
  expect(events.map(({ type, data, id }) => ({ type, data, id }))).toEqual([
    { type: 'tick', data: '', id: undefined },
    { type: 'message', data: 'second', id: undefined },
    { type: 'message', data: '', id: undefined },
  ])
  expect(events[0]!.atMs).toBe(1795820303500)
  expect(events[1]!.atMs).toBe(open.atMs) // a time no Date holds: the response's
  expect(deriveRecords(session.request, stored).filter((r) => r.kind === 'warning')).toEqual([])
})

test('HAR import: a body said to be base64 that is not is refused with that reason', () => {
  const har = {
    log: {
      entries: [
        {
          request: { url: 'https://stream.example.test/events' },
          response: {
            headers: [{ name: 'Content-Type', value: 'text/event-stream' }],
            content: { encoding: 'base64', text: 'data: not base64!\n\n' },
          },
        },
      ],
    },
  }
  expect(() => fromHar(har)).toThrow('the HAR entry says its body is base64, and it is not')
})
