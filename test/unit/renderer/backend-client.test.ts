import { expect, test } from 'vitest'
import type { InspectorApi, Push } from '../../../shared/api.ts'
import { flushEarlyPushes, startBackendClient } from '../../../renderer/src/backend-client.ts'
import { logOf, useInspector } from '../../../renderer/src/store/inspector-store.ts'
import { PushBatcher } from '../../../main/backend/push-batcher.ts'
import { PushOutbox } from '../../../main/backend/push-outbox.ts'

test('backend client: pushes that overtake their connection are kept; a late batch shows as lag', () => {
  // The real batcher stamps batches; the client applies them as a face would.
  const batcher = new PushBatcher(1000, 1_000_000)
  const api = {
    subscribe: (listener: (batch: readonly Push[]) => void) => batcher.subscribe(listener),
  } as unknown as InspectorApi
  const stop = startBackendClient(api)
  const event = {
    kind: 'event' as const,
    seq: 1,
    atMs: Date.now(),
    attempt: 0,
    type: 'message',
    data: 'x',
    lastEventId: '',
    startByte: 0,
    endByte: 1,
    firstChunkSeq: 0,
    lastChunkSeq: 0,
  }
  batcher.add({ kind: 'records', connectionId: 'c1', records: [event] })
  batcher.flush()
  expect(logOf('c1')).toBeUndefined() // not known yet: held back
  useInspector.getState().addConnection('c1', { url: 'http://x/' })
  flushEarlyPushes('c1')
  expect(logOf('c1')!.eventCount).toBe(1)
  expect(useInspector.getState().connections.c1!.lagMs ?? 0).toBe(0)

  // A batch that reaches the page 2 s after it was sent: the display is behind.
  let delivered: readonly Push[] = []
  const capture = batcher.subscribe((batch) => (delivered = batch))
  batcher.add({ kind: 'records', connectionId: 'c1', records: [{ ...event, seq: 2 }] })
  batcher.flush()
  capture()
  const late = delivered.map((p) => (p.kind === 'records' ? { ...p, sentAtMs: Date.now() - 2000 } : p))
  const listeners = (batcher as unknown as { listeners: Set<(b: readonly Push[]) => void> }).listeners
  for (const listener of listeners) listener(late)
  expect(useInspector.getState().connections.c1!.lagMs).toBe(2000)
  stop()
})

test('backend client: check pushes that overtake runChecks answer are kept until the run is added', () => {
  const batcher = new PushBatcher(1000, 1_000_000)
  const api = {
    subscribe: (listener: (batch: readonly Push[]) => void) => batcher.subscribe(listener),
  } as unknown as InspectorApi
  const stop = startBackendClient(api)
  batcher.add({ kind: 'check-progress', runId: 'r1', step: 'observing the stream for 6 s', index: 0 })
  batcher.add({
    kind: 'check-done',
    runId: 'r1',
    url: 'http://x/',
    isReachable: false,
    findings: [],
    responseHeaders: [],
  })
  batcher.flush()
  expect(useInspector.getState().checkRuns.r1).toBeUndefined()
  useInspector.setState((s) => ({
    checkRuns: {
      ...s.checkRuns,
      r1: {
        runId: 'r1',
        request: { url: 'http://x/' },
        options: {},
        steps: [],
        status: 'running',
        startedAtMs: Date.now(),
      },
    },
  }))
  flushEarlyPushes('r1')
  expect(useInspector.getState().checkRuns.r1).toMatchObject({
    status: 'done',
    steps: ['observing the stream for 6 s'],
    isReachable: false,
  })
  stop()
})

test('backend client: a page that fell behind shows the newest rows and counts what it missed', () => {
  let apply: (batch: readonly Push[]) => void = () => {}
  const api = {
    subscribe(listener: (batch: readonly Push[]) => void) {
      apply = listener
      return () => {}
    },
  } as unknown as InspectorApi
  const stop = startBackendClient(api)
  useInspector.getState().addConnection('behind', { url: 'http://x/' })
  let isBusy = true
  const outbox = new PushOutbox(
    (batch) => apply(batch),
    () => !isBusy,
    { maxHeldPerConnection: 1000 },
  )
  const event = (n: number) => ({
    kind: 'event' as const,
    seq: n,
    atMs: n,
    attempt: 0,
    type: 'message',
    data: `e${n}`,
    id: String(n),
    lastEventId: String(n),
    startByte: 0,
    endByte: 1,
    firstChunkSeq: 0,
    lastChunkSeq: 0,
  })
  isBusy = false
  outbox.add([{ kind: 'records', connectionId: 'behind', records: [1, 2, 3].map(event) }])
  isBusy = true
  for (let from = 4; from < 5004; from += 500)
    outbox.add([
      {
        kind: 'records',
        connectionId: 'behind',
        records: Array.from({ length: 500 }, (_, i) => event(from + i)),
      },
    ])
  isBusy = false
  outbox.pump()
  const log = logOf('behind')!
  expect(log.eventCount).toBe(5003)
  expect(log.heldRows).toBeLessThanOrEqual(1000)
  expect(log.evicted + log.heldRows).toBe(5003)
  expect((log.row(log.rowCount - 1) as { data: string }).data).toBe('e5003')
  expect(useInspector.getState().connections.behind!.lastEventId).toBe('5003')
  stop()
})
