import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import type { Push, WireRecord } from '../../../../shared/api.ts'
import { createBackend, type Backend } from '../../../../main/backend/backend.ts'
import { PageRejoin } from '../../../../main/backend/page-rejoin.ts'
import { createAcknowledgedOutbox } from '../../../../main/backend/push-outbox.ts'
import { useDemoServer } from '../../../support/demo.ts'

const demo = useDemoServer()
let backend: Backend | undefined
afterEach(async () => backend?.close())

/**
 * The desktop app's wiring (main/app/shell.ts, which cannot run here without Electron): one outbox the
 * page acknowledges, reset when the window loads, and a PageRejoin over it with every connection.
 */
test('desktop wiring: a reloaded window gets its connection back through the acknowledged outbox, every record once', async () => {
  backend = createBackend({ libraryDir: mkdtempSync(join(tmpdir(), 'sse-desktop-rejoin-')) })
  let page: Push[] = [] // what the window's page applied
  let isLoaded = true
  const pushes = createAcknowledgedOutbox((batch) => {
    if (!isLoaded) return // sent to a page that is reloading: lost, never acknowledged
    page.push(...batch)
    setImmediate(() => pushes.acknowledge()) // the preload acknowledges once applied
  })
  let rejoin: PageRejoin | undefined
  const load = () => {
    pushes.reset()
    const current: PageRejoin = new PageRejoin(backend!, backend!.work(), pushes, () => rejoin !== current)
    rejoin = current
  }
  backend.subscribe(
    (batch) => (rejoin ? rejoin.add(batch) : pushes.add(batch)),
    (connectionId) => pushes.pressureOf(connectionId),
  )
  load()
  const { connectionId } = await backend.connect({
    url: `${demo.url}/ticker?interval=10`,
    reconnect: { isEnabled: false },
  })
  const recordsOf = (pushes: readonly Push[]): WireRecord[] =>
    pushes.flatMap((p) => (p.kind === 'records' && p.connectionId === connectionId ? p.records : []))
  const eventsIn = (pushes: readonly Push[]) => recordsOf(pushes).filter((r) => r.kind === 'event').length
  await expect.poll(() => eventsIn(page)).toBeGreaterThan(10)

  // View → Reload: the old page goes, pushes meanwhile are lost, the new page loads.
  rejoin = undefined
  isLoaded = false
  await new Promise((resolve) => setTimeout(resolve, 200))
  page = []
  isLoaded = true
  load()
  await expect.poll(() => eventsIn(page)).toBeGreaterThan(40)
  expect(page.find((p) => p.kind === 'rejoined')).toMatchObject({
    connectionId,
    state: 'open',
    isRecorded: true,
  })
  const seqs = recordsOf(page).flatMap((r) => (r.kind === 'annotation' ? [] : [r.seq]))
  expect(seqs).toEqual(seqs.map((_, index) => index))
})
