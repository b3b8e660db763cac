import { expect, test } from 'vitest'
import { useDemoServer } from '../../../support/demo.ts'
import { openPage as openPageOf, useWebFace, type WebPage } from '../../../support/web-face.ts'

const demo = useDemoServer()
const TOKEN = 'page-sessions-token'
const face = useWebFace(TOKEN)
const start = (pageGoneGraceMs: number) => face.start(pageGoneGraceMs)
/** A page of the browser face; without an id, an observer (curl on the API) that sees every page's pushes. */
const openPage = (base: string, pageId?: string) => openPageOf(base, TOKEN, pageId)

test('web face: what a closed page started stops after the grace period; other pages keep theirs', async () => {
  const base = await start(300)
  const closing = openPage(base, 'page-closing')
  const staying = openPage(base, 'page-staying')
  const observer = openPage(base)
  const ticker = { url: `${demo.url}/ticker?interval=50`, reconnect: { isEnabled: false } }
  const { connectionId: orphan } = await closing.call<{ connectionId: string }>('connect', [
    ticker,
    { isRecording: true },
  ])
  const { connectionId: kept } = await staying.call<{ connectionId: string }>('connect', [
    ticker,
    { isRecording: false },
  ])
  const { runId } = await closing.call<{ runId: string }>('runChecks', [ticker, { durationMs: 60_000 }])
  await expect.poll(() => observer.states.get(orphan)).toBe('open')
  await expect.poll(() => staying.states.get(kept)).toBe('open')
  // Each page is sent only its own connections' pushes, once the answer to connect named the page:
  // the other page saw the orphan connecting at most (pushes can come before that answer).
  expect(staying.states.get(orphan) ?? 'connecting').toBe('connecting')
  closing.close()
  await new Promise((resolve) => setTimeout(resolve, 100))
  expect(observer.states.get(orphan)).toBe('open') // within the grace period: it may come back
  await expect.poll(() => observer.states.get(orphan), { timeout: 3000 }).toBe('closed')
  expect(staying.states.get(kept)).toBe('open')
  // The check run was stopped too: it reports early instead of observing for a minute.
  const recordings = await staying.call<{ outcome: string }[]>('listRecordings', [])
  expect(recordings.map((r) => r.outcome)).toEqual(['aborted'])
  await expect.poll(() => observer.checksStoppedEarly.get(runId)).toBe(true)
  expect(staying.checksStoppedEarly.has(runId)).toBe(false)
  staying.close()
  observer.close()
})

test('web face: a page whose push stream comes back within the grace period keeps its connections', async () => {
  const base = await start(400)
  const page = openPage(base, 'page-blip')
  const watcher = openPage(base)
  const { connectionId } = await page.call<{ connectionId: string }>('connect', [
    { url: `${demo.url}/ticker?interval=50`, reconnect: { isEnabled: false } },
    { isRecording: false },
  ])
  await expect.poll(() => watcher.states.get(connectionId)).toBe('open')
  page.close()
  const back = openPage(base, 'page-blip') // the same page, its push stream reconnected
  await new Promise((resolve) => setTimeout(resolve, 800))
  expect(watcher.states.get(connectionId)).toBe('open')
  back.close()
  watcher.close()
})

test('web face: a replay server a closed page started stops with it, unless another page serves it too', async () => {
  const base = await start(300)
  const recorder = openPage(base, 'page-recorder')
  const { connectionId } = await recorder.call<{ connectionId: string }>('connect', [
    { url: `${demo.url}/ticker?interval=10&count=3`, reconnect: { isEnabled: false } },
    { isRecording: true },
  ])
  await expect.poll(() => recorder.states.get(connectionId)).toBe('closed')
  const [recording] = await recorder.call<{ id: string }[]>('listRecordings', [])
  const serve = (page: WebPage, speed: number) =>
    page.call<{ url: string }>('serveRecording', [recording!.id, { speed }])
  const isUp = (url: string) =>
    fetch(url).then(
      async (response) => (await response.text()).includes('data:'),
      () => false,
    )

  const alone = openPage(base, 'page-alone')
  const { url: aloneUrl } = await serve(alone, 50)
  expect(await isUp(aloneUrl)).toBe(true)
  alone.close()
  await expect.poll(() => isUp(aloneUrl), { timeout: 3000 }).toBe(false)

  const first = openPage(base, 'page-first')
  const second = openPage(base, 'page-second')
  const { url: sharedUrl } = await serve(first, 60)
  expect((await serve(second, 60)).url).toBe(sharedUrl) // one server per recording and speed
  first.close()
  await new Promise((resolve) => setTimeout(resolve, 800))
  expect(await isUp(sharedUrl)).toBe(true) // the second page still shows "Serving at …"
  second.close()
  await expect.poll(() => isUp(sharedUrl), { timeout: 3000 }).toBe(false)
  recorder.close()
})
