import { spawn, spawnSync } from 'node:child_process'
import {
  closeSync,
  copyFileSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { connect, type AddressInfo } from 'node:net'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Locator } from '@playwright/test'
import { E2E_TOKEN } from '../../playwright.config.ts'
import { connectTo, openApp, demoUrl, holdApiCalls } from './helpers.ts'

test('a connection is recorded into the library; it opens in the viewer, replays, and serves to a new connection', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  const url = `${demo}/ticker?interval=20&count=4&retry=60000`
  await page.getByLabel('URL', { exact: true }).fill(url)
  await page.getByRole('button', { name: 'Options' }).click()
  await page.getByLabel('Reconnect like EventSource').uncheck()
  await page.getByRole('button', { name: 'Connect', exact: true }).click()
  await expect(page.getByRole('status')).toHaveText('closed')

  await page.getByRole('tab', { name: 'Library' }).click()
  const library = page.getByRole('region', { name: 'Library' })
  const row = library.getByRole('row').filter({ hasText: url })
  await expect(row).toContainText('eof')
  await expect(row.getByRole('cell').nth(3)).toHaveText('4')

  // Rename and tag it, then find it by search.
  await row.getByRole('button', { name: 'Edit' }).click()
  const editor = library.getByRole('form', { name: /^Edit / })
  await editor.getByLabel('Name').fill('ticker baseline')
  await editor.getByLabel('Tags (comma-separated)').fill('qa, baseline')
  await editor.getByRole('button', { name: 'Save' }).click()
  await library.getByLabel('Search recordings').fill('baseline qa')
  const renamed = library.getByRole('row').filter({ hasText: 'ticker baseline' })
  await expect(renamed).toContainText('#qa #baseline')
  await library.getByLabel('Search recordings').fill('no such thing')
  await expect(library.getByRole('table', { name: 'Recordings' })).toHaveCount(0)
  await library.getByLabel('Search recordings').fill('')

  // Open it in the viewer: every event is there, derived again from the recorded bytes. While it is
  // read (a long recording takes seconds; held back here), the row says so and its Open buttons wait.
  const opening = await holdApiCalls(page, 'openRecording')
  const openButton = renamed.getByRole('button', { name: 'Open' })
  await openButton.click()
  await expect(library.getByText('Opening: reading the recording…')).toBeVisible()
  await expect(openButton).toBeDisabled()
  await opening.isHeld
  opening.release()
  await expect(page.getByRole('tab', { name: /Replay: ticker baseline/ })).toBeVisible()
  await page.unroute('**/api/openRecording')
  const events = page.getByRole('grid', { name: 'Events' })
  await expect(events.getByRole('row').filter({ hasText: '"seq":4' })).toBeVisible()
  await events.getByRole('row').filter({ hasText: '"seq":2' }).click()
  await expect(page.getByLabel('Raw frame')).toContainText('id: 2\\n')

  // Serve it, and connect to the replay server like any endpoint. While the server starts (a long
  // recording is read through first; held back here), the row says so and Serve waits.
  await page.getByRole('tab', { name: 'Library' }).click()
  const starting = await holdApiCalls(page, 'serveRecording')
  const serveButton = library
    .getByRole('row')
    .filter({ hasText: 'ticker baseline' })
    .getByRole('button', { name: 'Serve', exact: true })
  await serveButton.click()
  await expect(library.getByText('Starting the replay server: reading the recording…')).toBeVisible()
  await expect(serveButton).toBeDisabled()
  await starting.isHeld
  starting.release()
  await expect(library.getByText('Starting the replay server')).toHaveCount(0)
  await expect(serveButton).toBeEnabled()
  await page.unroute('**/api/serveRecording')
  const served = await library
    .getByText(/Serving at/)
    .locator('code')
    .textContent()
  // what a client may ask of it is said beside it
  await expect(library.getByLabel('Replay faults')).toContainText('?disconnectAfter=N')
  await page.getByLabel('URL', { exact: true }).fill(served!)
  await page.getByRole('button', { name: 'Connect', exact: true }).click()
  await expect(
    page.getByRole('grid', { name: 'Events' }).getByRole('row').filter({ hasText: '"seq":4' }),
  ).toBeVisible()
  await expect(page.getByRole('status')).toHaveText('closed')
  await page.screenshot({ path: 'test-results/e2e/library.png' })

  // A reload keeps the server, and the Library says so still.
  await page.getByRole('tab', { name: 'Library' }).click()
  await page.reload()
  await expect(library.getByText(/Serving at/).locator('code')).toHaveText(served!)

  // Stop serving: the line goes, and so does the server.
  await library.getByRole('button', { name: 'Stop serving' }).click()
  await expect(library.getByText(/Serving at/)).toHaveCount(0)
  await expect(page.request.get(served!, { timeout: 5000 })).rejects.toThrow(/ECONNREFUSED/)
})

test('library: Serve attempts replays the reconnect story to a new connection, then a 204 stops it', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  // Two events a connection, three connections: ids 1–6 over three attempts.
  const url = `${demo}/ticker?interval=10&count=2&retry=50`
  await page.getByLabel('URL', { exact: true }).fill(url)
  await page.getByRole('button', { name: 'Options' }).click()
  await page.getByLabel(/Max reconnects/).fill('2')
  await page.getByRole('button', { name: 'Connect', exact: true }).click()
  await expect(page.getByRole('status')).toHaveText('closed')

  await page.getByRole('tab', { name: 'Library' }).click()
  const library = page.getByRole('region', { name: 'Library' })
  const row = library.getByRole('row').filter({ hasText: url })
  await expect(row.getByRole('cell').nth(3)).toHaveText('6')
  await row.getByRole('button', { name: 'Serve attempts' }).click()
  await expect(library.getByText(/Serving at .* \(each attempt in turn, then 204\)/)).toBeVisible()
  const served = await library
    .getByText(/Serving at/)
    .locator('code')
    .textContent()

  await page.getByLabel(/Max reconnects/).fill('')
  await page.getByLabel('URL', { exact: true }).fill(served!)
  await page.getByRole('button', { name: 'Connect', exact: true }).click()
  const events = page.getByRole('grid', { name: 'Events' })
  await expect(events.getByRole('row').filter({ hasText: '"seq":6' })).toBeVisible()
  await expect(page.getByRole('status')).toHaveText('closed')
  // Three recorded attempts, then a fourth request answered 204.
  const bar = page.getByRole('region', { name: 'Connection' })
  await expect(bar).toContainText(/6 events.*3 reconnects/)
  await expect(bar).toContainText('HTTP 204 No Content: the server asks the client not to reconnect')
})

test('library: columns sort the table, a search that matches nothing says so, the summary counts', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  for (const count of [2, 5]) {
    await page
      .getByLabel('URL', { exact: true })
      .fill(`${demo}/ticker?interval=10&count=${count}&sort=${count}`)
    await page.getByRole('button', { name: 'Options' }).click()
    await page.getByLabel('Reconnect like EventSource').uncheck()
    await page.getByRole('button', { name: 'Options' }).click()
    await page.getByRole('button', { name: 'Connect', exact: true }).click()
    await expect(page.getByRole('status')).toHaveText('closed')
  }
  await page.getByRole('tab', { name: 'Library' }).click()
  const library = page.getByRole('region', { name: 'Library' })
  await library.getByLabel('Search recordings').fill('sort=')
  await expect(library.getByLabel('Library summary')).toContainText(
    /^(2 of \d+ recordings|2 recordings) · [\d.]+ (B|KiB|MiB) on disk$/,
  )
  const table = library.getByRole('table', { name: 'Recordings' })
  const firstName = () => table.getByRole('row').nth(1).getByRole('cell').first()
  await expect(firstName()).toContainText('sort=5') // newest first
  await table.getByRole('button', { name: 'events' }).click()
  await expect(table.getByRole('columnheader', { name: /events/ })).toHaveAttribute('aria-sort', 'descending')
  await expect(firstName()).toContainText('sort=5')
  await table.getByRole('button', { name: 'events' }).click()
  await expect(table.getByRole('columnheader', { name: /events/ })).toHaveAttribute('aria-sort', 'ascending')
  await expect(firstName()).toContainText('sort=2')

  // A double-click on a row opens it as Open does; one on its controls (or in its editor) does not.
  const replayTabs = page.getByRole('tab', { name: /^Replay: / })
  const firstRow = table.getByRole('row').nth(1)
  await firstRow.getByRole('checkbox').dblclick()
  await firstRow.getByRole('button', { name: 'Edit' }).click()
  await library
    .getByRole('form', { name: /^Edit / })
    .getByLabel('Name')
    .dblclick()
  await firstRow.getByRole('button', { name: 'Edit' }).click()
  await expect(library.getByRole('form', { name: /^Edit / })).toHaveCount(0)
  await expect(replayTabs).toHaveCount(0)
  await firstName().dblclick()
  await expect(replayTabs).toHaveCount(1)
  await expect(
    page.getByRole('grid', { name: 'Events' }).getByRole('row').filter({ hasText: '"seq":2' }),
  ).toBeVisible()
  await page.getByRole('tab', { name: 'Library' }).click()

  // Delete shown… deletes what the search shows, after asking.
  await library.getByLabel('Search recordings').fill('sort=2')
  await expect(library.getByLabel('Library summary')).toContainText(/^1 of \d+ recordings/)
  page.once('dialog', (dialog) => {
    expect(dialog.message()).toMatch(/^Delete 1 recording \([\d.]+ (B|KiB) on disk\)\?$/)
    void dialog.accept()
  })
  await library.getByRole('button', { name: 'Delete shown…' }).click()
  await expect(library.getByText('No recording matches “sort=2”')).toBeVisible()
  await library.getByLabel('Search recordings').fill('sort=')
  await expect(table.getByRole('row')).toHaveCount(2) // the heading and sort=5

  await library.getByLabel('Search recordings').fill('no such recording')
  await expect(library.getByText('No recording matches “no such recording”')).toBeVisible()
  await library.getByRole('button', { name: 'Clear search' }).click()
  await expect(library.getByLabel('Search recordings')).toHaveValue('')
  await expect(table).toBeVisible()
})

test('library: export a recording as HAR, import it back, and compare two recordings', async ({
  page,
}, testInfo) => {
  await openApp(page)
  const demo = await demoUrl(page)
  await page.getByRole('button', { name: 'Options' }).click()
  await page.getByLabel('Reconnect like EventSource').uncheck()
  for (const count of [3, 5]) {
    await page.getByRole('button', { name: '+ New' }).click()
    await page.getByLabel('URL', { exact: true }).fill(`${demo}/ticker?interval=10&count=${count}&compare=1`)
    await page.getByRole('button', { name: 'Connect', exact: true }).click()
    await expect(page.getByRole('status')).toHaveText('closed')
  }
  await page.getByRole('tab', { name: 'Library' }).click()
  const library = page.getByRole('region', { name: 'Library' })
  const three = library.getByRole('row').filter({ hasText: 'count=3&compare=1' })
  const five = library.getByRole('row').filter({ hasText: 'count=5&compare=1' })

  await three.getByRole('checkbox').check()
  await five.getByRole('checkbox').check()
  await library.getByRole('button', { name: 'Compare 2 selected' }).click()
  const comparison = library.getByRole('region', { name: 'Comparison' })
  // The ticker's events carry their send time, so the three shared ids differ in data: in that field.
  await expect(comparison).toContainText('matched by id: 0 missing in B, 2 extra in B, 3 changed')
  await expect(comparison.getByRole('listitem').filter({ hasText: '~ changed 1:' })).toHaveText(
    /^~ changed 1: sentAtMs \d+ → \d+$/,
  )
  // Left out, the send time makes no difference.
  await comparison.getByLabel('Ignore JSON fields').fill('sentAtMs')
  await comparison.getByRole('button', { name: 'Compare again' }).click()
  await expect(comparison).toContainText('matched by id: 0 missing in B, 2 extra in B, 0 changed.')
  await expect(comparison).toContainText('3 more events the same but for ignored fields')

  const download = page.waitForEvent('download')
  await five.getByRole('combobox').selectOption('har')
  const file = testInfo.outputPath('five.har')
  await (await download).saveAs(file)
  await expect(library.getByRole('status', { name: 'Export' })).toContainText(/^Downloading .+\.har/)
  await library.getByLabel('Import a recording, HAR or SSE text').setInputFiles(file)
  const imported = library.getByRole('row').filter({ hasText: '#imported' })
  await expect(imported).toContainText('.har')
  await expect(imported.getByRole('cell').nth(3)).toHaveText('5')

  // A comparison that cannot be made says why (one of the two was deleted behind the page's back).
  const headers = { 'x-inspector-token': E2E_TOKEN }
  const listed = await page.request.post('/api/listRecordings', { headers, data: [] })
  const { result } = (await listed.json()) as { result: { id: string; url: string }[] }
  const threeId = result.find((r) => r.url.includes('count=3&compare=1'))!.id
  await page.request.post('/api/deleteRecording', { headers, data: [threeId] })
  await library.getByRole('button', { name: 'Compare 2 selected' }).click()
  await expect(page.getByRole('alert')).toContainText('no such recording')
  await expect(library.getByRole('button', { name: 'Compare 2 selected' })).toBeEnabled()
  // Deleting it (gone already, which is what was asked) brings the list up to date.
  page.once('dialog', (dialog) => void dialog.accept())
  await three.getByRole('button', { name: /^Delete / }).click()
  await expect(three).toHaveCount(0)
})

test('library: a comparison with many differences lists the first 50 of them and says where the rest are', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  await page.getByRole('button', { name: 'Options' }).click()
  await page.getByLabel('Reconnect like EventSource').uncheck()
  for (const run of ['a', 'b']) {
    await page.getByRole('button', { name: '+ New' }).click()
    await page
      .getByLabel('URL', { exact: true })
      .fill(`${demo}/ticker?interval=5&count=60&compare=1&run=${run}`)
    await page.getByRole('button', { name: 'Connect', exact: true }).click()
    await expect(page.getByRole('status')).toHaveText('closed')
  }
  await page.getByRole('tab', { name: 'Library' }).click()
  const library = page.getByRole('region', { name: 'Library' })
  for (const run of ['a', 'b'])
    await library
      .getByRole('row')
      .filter({ hasText: `count=60&compare=1&run=${run}` })
      .getByRole('checkbox')
      .check()
  await library.getByRole('button', { name: 'Compare 2 selected' }).click()
  const comparison = library.getByRole('region', { name: 'Comparison' })
  // Every event carries its send time: all 60 differ, 50 are listed.
  await expect(comparison).toContainText('matched by id: 0 missing in B, 0 extra in B, 60 changed')
  await expect(comparison.getByRole('listitem')).toHaveCount(50)
  await expect(comparison).toContainText('The first 50 of each are listed; sse-inspector diff A B --json')
})

test('library: a replay in the viewer pauses, steps event by event and seeks', async ({ page }) => {
  await openApp(page)
  const demo = await demoUrl(page)
  await page.getByRole('button', { name: 'Options' }).click()
  await page.getByLabel('Reconnect like EventSource').uncheck()
  await page.getByLabel('URL', { exact: true }).fill(`${demo}/ticker?interval=400&count=6&stepping=1`)
  await page.getByRole('button', { name: 'Connect', exact: true }).click()
  await expect(page.getByRole('status')).toHaveText('closed', { timeout: 10_000 })
  await page.getByRole('tab', { name: 'Library' }).click()
  const row = page.getByRole('region', { name: 'Library' }).getByRole('row').filter({ hasText: 'stepping=1' })
  await row.getByRole('button', { name: '▶ 1×' }).click()
  const replay = page.getByRole('group', { name: 'Replay' })
  await replay.getByRole('button', { name: /Pause/ }).click()
  // A replay has nothing to reconnect to: only live connections offer it.
  const bar = page.getByRole('region', { name: 'Connection' })
  await expect(bar.getByRole('button', { name: /Reconnect/ })).toHaveCount(0)
  const events = page.getByRole('grid', { name: 'Events' })
  const ticks = events.getByRole('row', { name: / tick \d+ \d+ / })
  const before = await ticks.count()
  expect(before).toBeLessThan(6)
  await replay.getByRole('button', { name: 'Step' }).click()
  await expect(ticks).toHaveCount(before + 1)
  await replay.getByRole('button', { name: 'Step' }).click()
  await expect(ticks).toHaveCount(before + 2)
  // Seek to the end: everything arrives at once.
  await replay.getByLabel('Replay position').fill('100000')
  await expect(ticks).toHaveCount(6)
  await expect(replay).toContainText('done')
  // Seek back to the start: the view clears and shows only what came before that point.
  await replay.getByLabel('Replay position').fill('0')
  await expect(ticks).toHaveCount(0)
  await replay.getByRole('button', { name: 'Step' }).click()
  await expect(ticks).toHaveCount(1)
  // Any speed from a tenth to a hundred times: at 100× the rest (2 s at 1×) comes at once.
  const speed = replay.getByLabel('Replay speed')
  await expect(speed.getByRole('option')).toHaveText([
    /^0\.1×$/,
    '0.25×',
    '0.5×',
    '1×',
    '2×',
    '5×',
    '10×',
    '50×',
    '100×',
    'instant',
  ])
  await speed.selectOption('100')
  await replay.getByRole('button', { name: /Resume/ }).click()
  await expect(ticks).toHaveCount(6, { timeout: 1500 }) // 2 s at 1×
})

test('library: the folder can be changed; new recordings go there', async ({ page }, testInfo) => {
  const { readdirSync } = await import('node:fs')
  await openApp(page)
  const demo = await demoUrl(page)
  await page.getByRole('tab', { name: 'Library' }).click()
  const library = page.getByRole('region', { name: 'Library' })
  const folder = testInfo.outputPath('elsewhere')
  // The field shows the current folder once the server says it: fill it after that, not while it lands
  // (an answer between fill's select-all and its typing appended the new path to the old one).
  await expect(library.getByLabel('Library folder')).not.toHaveValue('')
  await library.getByLabel('Library folder').fill(folder)
  await library.getByRole('button', { name: 'Use this folder' }).click()
  await expect(library).toContainText('No recordings yet')
  await page.getByLabel('URL', { exact: true }).fill(`${demo}/status/204`)
  await page.getByRole('button', { name: 'Connect', exact: true }).click()
  await expect(page.getByRole('status')).toHaveText('closed')
  await page.getByRole('tab', { name: 'Library' }).click()
  await expect(library.getByRole('row').filter({ hasText: '/status/204' })).toContainText('no-content')
  expect(readdirSync(folder).filter((f) => f.endsWith('.sserec'))).toHaveLength(1)
})

test('library: a note pinned during a connection shows as a row and stays in the recording', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  await page.getByLabel('URL', { exact: true }).fill(`${demo}/ticker?interval=100&count=30&noting=1`)
  await page.getByRole('button', { name: 'Connect', exact: true }).click()
  const events = page.getByRole('grid', { name: 'Events' })
  await expect(events.getByRole('row').filter({ hasText: '"seq":3,' })).toBeVisible()
  await page.getByLabel('Note to pin at this moment').fill('deploy started here')
  await page.getByRole('button', { name: 'Pin note' }).click()
  await expect(events.getByRole('row', { name: /note deploy started here/ })).toBeVisible()
  await page.getByRole('button', { name: 'Disconnect' }).click()
  await page.getByRole('tab', { name: 'Library' }).click()
  await page
    .getByRole('region', { name: 'Library' })
    .getByRole('row')
    .filter({ hasText: 'noting=1' })
    .getByRole('button', { name: 'Open' })
    .click()
  await expect(
    page.getByRole('grid', { name: 'Events' }).getByRole('row', { name: /note deploy started here/ }),
  ).toBeVisible()
})

test('library: a served recording streams to a web page on this machine (an EventSource from another origin: CORS)', async ({
  page,
  context,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  await connectTo(page, `${demo}/ticker?interval=5&count=3&retry=60000&cors-e2e=1`)
  await expect(page.getByRole('status')).toHaveText(/closed|retrying/)
  await page.getByRole('tab', { name: 'Library' }).click()
  const library = page.getByRole('region', { name: 'Library' })
  const row = library.getByRole('row').filter({ hasText: 'cors-e2e=1' })
  await expect(row.getByRole('cell').nth(3)).toHaveText('3')
  await row.getByRole('button', { name: 'Serve', exact: true }).click()
  const served = (await library
    .getByText(/Serving at/)
    .locator('code')
    .textContent())!
  await expect(library.getByText(/Web pages served from this machine/)).toBeVisible() // and how others may

  // The client under test: a page served from this machine on a port of its own (another origin).
  const client = createServer((_request, response) =>
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>client</title>'),
  )
  await new Promise<void>((resolve) => client.listen(0, '127.0.0.1', resolve))
  try {
    const clientPage = await context.newPage()
    await clientPage.goto(`http://127.0.0.1:${(client.address() as AddressInfo).port}/`)
    const received = await clientPage.evaluate(
      (url) =>
        new Promise<string[]>((resolve) => {
          const source = new EventSource(url)
          const data: string[] = []
          source.addEventListener('tick', (event) => {
            data.push(event.data)
            if (data.length < 3) return
            source.close()
            resolve(data)
          })
          source.onerror = () => {
            source.close() // a CORS refusal lands here
            resolve(['error', ...data])
          }
        }),
      served,
    )
    expect(received.map((d) => (JSON.parse(d) as { seq: number }).seq)).toEqual([1, 2, 3])
  } finally {
    client.close()
  }
})

test('library: importing a file that is not a recording, a HAR or SSE text says why and adds nothing', async ({
  page,
}) => {
  await openApp(page)
  await page.getByRole('tab', { name: 'Library' }).click()
  const library = page.getByRole('region', { name: 'Library' })
  await library.getByLabel('Import a recording, HAR or SSE text').setInputFiles('build/icon.png')
  await expect(page.getByRole('alert')).toContainText('icon.png is not a recording, a HAR file or SSE text')
  await library.getByRole('button', { name: 'Refresh' }).click()
  await expect(library.getByRole('row').filter({ hasText: 'icon.png' })).toHaveCount(0)
})

test('library: a capture made with curl -i imports with its response head as the response, not as stream lines', async ({
  page,
}, testInfo) => {
  await openApp(page)
  const demo = new URL(await demoUrl(page))
  // The response as it came off the wire (HTTP/1.0: no chunked encoding), as `curl -i -N` writes it.
  const capture = await new Promise<Buffer>((resolve, reject) => {
    const socket = connect(Number(demo.port), demo.hostname)
    const parts: Buffer[] = []
    socket.on('data', (part) => parts.push(part))
    socket.on('end', () => resolve(Buffer.concat(parts)))
    socket.on('error', reject)
    socket.write('GET /ticker?count=3&interval=5 HTTP/1.0\r\nAccept: text/event-stream\r\n\r\n')
  })
  const file = testInfo.outputPath('curl-i-capture.txt')
  writeFileSync(file, capture)
  await page.getByRole('tab', { name: 'Library' }).click()
  const library = page.getByRole('region', { name: 'Library' })
  await library.getByLabel('Import a recording, HAR or SSE text').setInputFiles(file)
  const imported = library.getByRole('row').filter({ hasText: 'curl-i-capture.txt' })
  await expect(imported.getByRole('cell').nth(3)).toHaveText('3')
  await imported.getByRole('button', { name: 'Open' }).click()
  const events = page.getByRole('grid', { name: 'Events' })
  await expect(events.getByRole('row').filter({ hasText: '"seq":3,' })).toBeVisible()
  await expect(events.getByRole('row').filter({ hasText: 'warning' })).toHaveCount(0)
  await events.getByRole('row').filter({ hasText: 'HTTP/1.1 200 OK' }).click()
  await expect(page.getByRole('tabpanel')).toContainText('no-cache, no-transform')
})

test('library: a file over the 24 MiB the browser face once took imports (30 MB of SSE text)', async ({
  page,
}, testInfo) => {
  const file = testInfo.outputPath('big-capture.sse')
  const event = (i: number) => `id: ${i}\ndata: ${'x'.repeat(1000)}\n\n`
  writeFileSync(file, Array.from({ length: 30_000 }, (_, i) => event(i + 1)).join(''))
  await openApp(page)
  await page.getByRole('tab', { name: 'Library' }).click()
  const library = page.getByRole('region', { name: 'Library' })
  await library.getByLabel('Import a recording, HAR or SSE text').setInputFiles(file)
  const imported = library.getByRole('row').filter({ hasText: 'big-capture.sse' })
  await expect(imported.getByRole('cell').nth(3)).toHaveText('30000', { timeout: 30_000 })
})

test('library: a live recording row follows the stream (events, duration) until it ends', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  const url = `${demo}/ticker?interval=50&live=1`
  await page.getByLabel('URL', { exact: true }).fill(url)
  await page.getByRole('button', { name: 'Connect', exact: true }).click()
  await expect(page.getByRole('status')).toHaveText('open')
  await page.getByRole('tab', { name: 'Library' }).click()
  const row = page.getByRole('region', { name: 'Library' }).getByRole('row').filter({ hasText: url })
  await expect(row).toContainText('recording')
  const events = async () => Number(await row.getByRole('cell').nth(3).textContent())
  const first = await events()
  await expect.poll(events, { timeout: 5000 }).toBeGreaterThan(first + 5) // no click on Refresh
  await page.getByRole('tab', { name: /GET \/ticker/ }).click()
  await page.getByRole('button', { name: 'Disconnect' }).click()
  await page.getByRole('tab', { name: 'Library' }).click()
  await expect(row).not.toContainText('recording')
})

test('library: a file dropped on the Library is imported, not opened', async ({ page }) => {
  await openApp(page)
  await page.getByRole('tab', { name: 'Library' }).click()
  const library = page.getByRole('region', { name: 'Library' })
  const dataTransfer = await page.evaluateHandle(() => {
    const transfer = new DataTransfer()
    const text = 'id: 1\ndata: dropped one\n\nid: 2\ndata: dropped two\n\n'
    transfer.items.add(new File([text], 'dropped-capture.sse', { type: 'text/event-stream' }))
    return transfer
  })
  await library.dispatchEvent('dragover', { dataTransfer })
  await expect(library).toHaveClass(/drop-target/)
  // While it is sent and converted (held back here: a large file takes seconds), the Library says so.
  const importing = await holdApiCalls(page, 'importRecording*') // its name goes in the query
  await library.dispatchEvent('drop', { dataTransfer })
  await expect(library).not.toHaveClass(/drop-target/)
  await expect(library.getByRole('status', { name: 'Import' })).toHaveText('Importing dropped-capture.sse…')
  await importing.isHeld
  importing.release()
  const row = library.getByRole('row').filter({ hasText: 'dropped-capture.sse' })
  await expect(row.getByRole('cell').nth(3)).toHaveText('2')
  await expect(library.getByRole('status', { name: 'Import' })).toHaveCount(0)
  await page.unroute('**/api/importRecording*')
  // Imported, not opened: the Library stays in view and no tab is made for it (a drop elsewhere opens one).
  await expect(library).toBeVisible()
  await expect(page.getByRole('tab', { name: /^Replay: / })).toHaveCount(0)
})

test('files dropped on the window (here the event list) open in tabs, as Ctrl+O opens them, one that is not a recording said; the Library keeps them', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  await connectTo(page, `${demo}/ticker?interval=50&count=3`)
  const events = page.getByRole('grid', { name: 'Events' })
  await expect(events.getByRole('row').filter({ hasText: '"seq":1' })).toBeVisible()
  const dataTransfer = await page.evaluateHandle(() => {
    const transfer = new DataTransfer()
    transfer.items.add(new File([new Uint8Array([0x67, 0, 1, 0xff])], 'broken.bin'))
    transfer.items.add(new File(['data: dropped anywhere\n\n'], 'anywhere.sse'))
    transfer.items.add(new File(['data: and another\n\n'], 'another.sse'))
    return transfer
  })
  // Taken (the default is prevented), so the browser does not open the file in place of the app.
  const isTaken = await events.evaluate((grid, transfer) => {
    const over = new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true })
    grid.dispatchEvent(over)
    return over.defaultPrevented
  }, dataTransfer)
  expect(isTaken).toBe(true)
  await events.dispatchEvent('drop', { dataTransfer })
  // Each good file in a tab, in the order dropped; the one that is not a recording is said, and stays
  // said when the files after it open.
  await expect(page.getByRole('tab', { name: 'Replay: another.sse' })).toHaveAttribute(
    'aria-selected',
    'true',
  )
  await expect(events.getByRole('row').filter({ hasText: /and another$/ })).toHaveCount(1)
  await expect(page.getByRole('tab', { name: /^Replay: / })).toHaveText([
    'Replay: anywhere.sse',
    'Replay: another.sse',
  ])
  await expect(page.getByRole('alert')).toContainText(
    'cannot import broken.bin: broken.bin is not a recording',
  )
  await page.getByRole('tab', { name: 'Replay: anywhere.sse' }).click()
  await expect(events.getByRole('row').filter({ hasText: /dropped anywhere$/ })).toHaveCount(1)
  await expect(page.getByRole('tab', { name: 'GET /ticker' })).toBeVisible() // the stream's tab stays
  await page.getByRole('tab', { name: 'Library' }).click()
  const library = page.getByRole('region', { name: 'Library' })
  await expect(library.getByRole('row').filter({ hasText: 'anywhere.sse' })).toHaveCount(1)
  await expect(
    library.getByRole('row').filter({ hasText: 'anywhere.sse' }).getByRole('cell').nth(3),
  ).toHaveText('1')
})

test('library: a file of 240 MB (past the 225 MiB once refused) imports as it is read, the page never holding it', async ({
  page,
}, testInfo) => {
  const file = testInfo.outputPath('huge-capture.sse')
  const block = Array.from({ length: 1000 }, () => `data: ${'x'.repeat(1000)}\n\n`).join('') // ~1 MB
  const fd = openSync(file, 'w')
  for (let i = 0; i < 240; i++) writeSync(fd, block)
  closeSync(fd)
  await openApp(page)
  await page.getByRole('tab', { name: 'Library' }).click()
  const library = page.getByRole('region', { name: 'Library' })
  await library.getByLabel('Import a recording, HAR or SSE text').setInputFiles(file)
  const imported = library.getByRole('row').filter({ hasText: 'huge-capture.sse' })
  await expect(imported.getByRole('cell').nth(3)).toHaveText('240000', { timeout: 60_000 })
  await expect(page.getByRole('alert')).toHaveCount(0)
})

/** A backend of its own (`serve`) on a library folder, optionally run under a wrapper command (prlimit). */
async function startServe(library: string, wrapper: string[] = [], port = 0, files: string[] = []) {
  const command = [...wrapper, process.execPath, 'bin/sse-inspector.js', 'serve']
  const child = spawn(command[0]!, [
    ...command.slice(1),
    '--port',
    String(port),
    '--token',
    E2E_TOKEN,
    '--library',
    library,
    ...files,
  ])
  const appUrl = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (part: Buffer) => {
      out += part.toString()
      const match = /is at (\S+)/.exec(out)
      if (match) resolve(match[1]!)
    })
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)))
  })
  /** Calls its API as its page does. */
  const call = async (method: string, args: unknown[]) =>
    (
      (await (
        await fetch(new URL(`/api/${method}`, appUrl), {
          method: 'POST',
          headers: { 'x-inspector-token': E2E_TOKEN, 'content-type': 'application/json' },
          body: JSON.stringify(args),
        })
      ).json()) as { result: unknown }
    ).result
  return { child, appUrl, call }
}

test('a recording whose writes fail (a full disk) is said at once: the connection bar, the banner, the Library; the stream goes on', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  // A backend of its own that cannot write files past 300 kB (prlimit): its disk fills up, for real.
  const library = mkdtempSync(join(tmpdir(), 'sse-e2e-full-'))
  const { child, appUrl } = await startServe(library, ['prlimit', '--fsize=300000'])
  try {
    await page.goto(appUrl)
    await page.getByLabel('URL', { exact: true }).fill(`${demo}/firehose?rate=3000`)
    await page.getByRole('button', { name: 'Connect', exact: true }).click()
    const bar = page.getByRole('region', { name: 'Connection' })
    await expect(bar.getByRole('note').filter({ hasText: 'not recording' })).toHaveText(
      'not recording: EFBIG: file too large, write',
    )
    await expect(page.getByRole('alert')).toContainText('Recording stopped: recording to ')
    await expect(page.getByRole('alert')).toContainText(
      'The stream goes on; what came before is in the recording.',
    )
    await expect(bar.getByRole('status')).toHaveText('open') // the stream, unlike its recording, goes on
    await page.getByRole('tab', { name: 'Library' }).click()
    await expect(
      page.getByRole('region', { name: 'Library' }).getByRole('row').filter({ hasText: 'firehose' }),
    ).toContainText('failed: EFBIG: file too large, write')
    // Reloaded: the tab reads back what was recorded, then a row says where the recording stopped and
    // what is not shown from there to the reload; the stream goes on after it.
    await page.reload()
    await page.getByRole('tab', { name: /firehose/ }).click()
    const list = page.getByRole('grid', { name: 'Events' })
    await list.getByRole('row').first().waitFor()
    await page.getByLabel('Filter', { exact: true }).fill('Not recorded past here')
    const gapRow = list.getByRole('row').filter({ hasText: 'Not recorded past here' })
    await expect(gapRow).toHaveCount(1)
    await expect(gapRow).toContainText(
      /Not recorded past here \(EFBIG: file too large, write\): [\d,]+ events from here to the reload of this page are not shown/,
    )
    await expect(page.getByRole('status').filter({ hasText: /^Reloaded/ })).toHaveCount(0)
    const rowNumber = async (row: Locator) => Number((await row.getByRole('gridcell').first().textContent())!)
    const gapAt = await rowNumber(gapRow)
    await page.getByLabel('Filter', { exact: true }).fill('')
    const rows = list.getByRole('row')
    await expect.poll(async () => rowNumber(rows.last()), { timeout: 10_000 }).toBeGreaterThan(gapAt + 100)
    await expect(bar.getByRole('status')).toHaveText('open')
  } finally {
    child.kill('SIGINT')
  }
})

test("two apps on one library folder: the other app's live recording follows in the Library to its end, keeping a rename made here", async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  const library = mkdtempSync(join(tmpdir(), 'sse-e2e-shared-'))
  const recorder = await startServe(library)
  const viewer = await startServe(library)
  try {
    const url = `${demo}/ticker?interval=100&count=60`
    await recorder.call('connect', [{ url, reconnect: { isEnabled: false } }])
    await page.goto(viewer.appUrl)
    await page.getByRole('tab', { name: 'Library' }).click()
    const row = page.getByRole('region', { name: 'Library' }).getByRole('row').filter({ hasText: 'ticker' })
    await expect(row).toContainText('recording')
    await expect(row).toContainText(`by another SSE Inspector (process ${recorder.child.pid})`)
    await expect(row.getByRole('button', { name: /^Delete / })).toBeDisabled()
    await row.getByRole('button', { name: 'Edit' }).click()
    const editor = page.getByRole('form', { name: /^Edit / })
    await editor.getByLabel('Name').fill('recorded by the other app')
    await editor.getByRole('button', { name: 'Save' }).click()
    // No click on Refresh: the row follows the other app's recorder to the stream's end.
    const renamed = page.getByRole('row').filter({ hasText: 'recorded by the other app' })
    await expect(renamed).toContainText('eof', { timeout: 15_000 })
    await expect(renamed.getByRole('cell').nth(3)).toHaveText('60')
    await expect(renamed).not.toContainText('by another SSE Inspector')
    await expect(renamed.getByRole('button', { name: /^Delete / })).toBeEnabled()
  } finally {
    recorder.child.kill('SIGINT')
    viewer.child.kill('SIGINT')
  }
})

test('library: thousands of recordings list at once and stay smooth; only the rows in view are made, search and scrolling reach any', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  // One real recording, copied in 3000 times, as months of connections leave them.
  const library = mkdtempSync(join(tmpdir(), 'sse-e2e-many-'))
  const recorder = await startServe(library)
  await recorder.call('connect', [
    { url: `${demo}/ticker?interval=5&count=5`, reconnect: { isEnabled: false } },
  ])
  const outcome = () => {
    try {
      return (JSON.parse(readFileSync(join(library, 'library.json'), 'utf8')) as { outcome: string }[])[0]
        ?.outcome
    } catch {
      return undefined // not written yet
    }
  }
  await expect.poll(outcome).toBe('eof')
  recorder.child.kill('SIGINT')
  await new Promise((resolve) => recorder.child.once('exit', resolve))
  const [entry] = JSON.parse(readFileSync(join(library, 'library.json'), 'utf8')) as Record<string, unknown>[]
  expect(entry).toMatchObject({ outcome: 'eof', events: 5 })
  const entries = Array.from({ length: 3000 }, (_, i) => {
    const { owner: _owner, ...rest } = entry!
    if (i === 0) return { ...rest, name: 'stream #0', startedAtMs: 1e12 } // the recording itself
    copyFileSync(join(library, entry!.file as string), join(library, `copy-${i}.sserec`))
    return {
      ...rest,
      id: `copy-${i}`,
      file: `copy-${i}.sserec`,
      name: `stream #${i}`,
      startedAtMs: 1e12 - i * 60_000,
    }
  })
  writeFileSync(join(library, 'library.json'), JSON.stringify(entries))
  const viewer = await startServe(library)
  try {
    await page.goto(viewer.appUrl)
    await page.getByRole('tab', { name: 'Library' }).click()
    const panel = page.getByRole('region', { name: 'Library' })
    await expect(panel.getByLabel('Library summary')).toContainText('3000 recordings')
    await expect(panel.getByRole('row').filter({ hasText: 'stream #0' })).toBeVisible()
    // Only a window of rows is in the page (all 3000, a dozen controls each, took 2 s to show).
    expect(await panel.locator('tbody tr').count()).toBeLessThan(60)
    // Scrolled to the end, the oldest is there; searched for, one far down is the one row.
    await panel.evaluate((section) => (section.scrollTop = section.scrollHeight))
    await expect(panel.getByRole('row').filter({ hasText: 'stream #2999' })).toBeVisible()
    // Rows out of view are counted for assistive technology; the last one knows its place.
    await expect(panel.getByRole('table', { name: 'Recordings' })).toHaveAttribute('aria-rowcount', '3001')
    await expect(panel.getByRole('row').filter({ hasText: 'stream #2999' })).toHaveAttribute(
      'aria-rowindex',
      '3001',
    )
    // "/" goes to the search (as it goes to the events' filter), Esc clears it.
    await page.keyboard.press('/')
    await expect(panel.getByLabel('Search recordings')).toBeFocused()
    await page.keyboard.type('stream #12')
    await page.keyboard.press('Escape')
    await expect(panel.getByLabel('Search recordings')).toHaveValue('')
    await panel.getByLabel('Search recordings').fill('stream #1234')
    const found = panel.getByRole('row').filter({ hasText: /stream #\d+/ })
    await expect(found).toHaveCount(1)
    await expect(found.getByRole('cell').first()).toHaveText('stream #1234')
    await panel.getByLabel('Search recordings').fill('')
    await panel.evaluate((section) => (section.scrollTop = 0))
    // A row's editor makes it taller; the rows below move down, none covers another.
    const first = panel.getByRole('row').filter({ hasText: 'stream #0' })
    await first.getByRole('button', { name: 'Edit' }).click()
    await expect(page.getByRole('form', { name: /^Edit / })).toBeVisible()
    const [edited, next] = await Promise.all([
      first.boundingBox(),
      panel.getByRole('row').filter({ hasText: 'stream #1' }).first().boundingBox(),
    ])
    expect(next!.y).toBeGreaterThanOrEqual(edited!.y + edited!.height - 1)
  } finally {
    viewer.child.kill('SIGINT')
  }
})

test('library: a replayed LLM answer seeked back is assembled again from that point, not kept whole', async ({
  page,
}) => {
  await openApp(page)
  await page.getByRole('button', { name: /LLM chat completion/ }).click()
  await expect(page.getByRole('status')).toHaveText('closed', { timeout: 10_000 })
  await page.getByRole('tab', { name: 'Library' }).click()
  const row = page.getByRole('region', { name: 'Library' }).getByRole('row').filter({ hasText: 'POST' })
  await row.getByRole('button', { name: '▶ 1×' }).click()
  const replay = page.getByRole('group', { name: 'Replay' })
  await replay.getByLabel('Replay position').fill('100000')
  await expect(replay).toContainText('done')
  await page.getByRole('tab', { name: 'Assembled' }).click()
  const text = page.getByRole('region', { name: 'Assembled message' }).getByLabel('Message text')
  const whole =
    'You asked "What is SSE?". This answer streams one word per chunk, like a chat completion API.'
  await expect(text).toHaveText(whole)
  // Back to the start, then two events on: the answer's first words, not the whole answer again.
  await replay.getByLabel('Replay position').fill('0')
  await replay.getByRole('button', { name: 'Pause' }).click() // a seek plays on from there
  await replay.getByRole('button', { name: 'Step' }).click()
  await replay.getByRole('button', { name: 'Step' }).click()
  await expect(text).not.toHaveText(whole)
  expect(whole.startsWith((await text.textContent()) ?? 'nothing')).toBe(true)
})

test('a server restarted under the page (the same token) ends the connections the page shows running there, saying why', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  const library = mkdtempSync(join(tmpdir(), 'sse-e2e-restart-'))
  const first = await startServe(library)
  const port = Number(new URL(first.appUrl).port)
  let second: Awaited<ReturnType<typeof startServe>> | undefined
  try {
    await page.goto(first.appUrl)
    await connectTo(page, `${demo}/ticker?interval=100`)
    await expect(page.getByRole('status')).toHaveText('open')
    const exited = new Promise((resolve) => first.child.once('exit', resolve))
    first.child.kill('SIGKILL')
    await exited
    await expect(page.getByRole('alert', { name: 'Server link' })).toContainText(
      'Lost the SSE Inspector server',
    )
    second = await startServe(library, [], port)
    await expect(page.getByRole('alert', { name: 'Server link' })).toBeHidden()
    await expect(page.getByRole('status')).toHaveText('failed')
    await expect(page.getByText(/the SSE Inspector server restarted: this ended with it/)).toBeVisible()
  } finally {
    first.child.kill('SIGKILL')
    second?.child.kill('SIGKILL')
  }
})

test('serve FILE…: the files go into the library and the first page opens each in a tab; a file that is not a recording is said, nothing served', async ({
  page,
  browser,
}, testInfo) => {
  const capture = testInfo.outputPath('capture.sse')
  writeFileSync(capture, 'id: 1\ndata: alpha\n\nid: 2\ndata: beta\n\n')
  const second = testInfo.outputPath('second.sse')
  writeFileSync(second, 'event: other\ndata: from-the-second\n\n')
  const library = mkdtempSync(join(tmpdir(), 'sse-e2e-open-'))
  const { child, appUrl } = await startServe(library, [], 0, [capture, second])
  try {
    await page.goto(appUrl)
    const tabs = page.getByRole('tablist', { name: 'Connections' }).getByRole('tab', { name: /^Replay: / })
    await expect(tabs).toHaveCount(2)
    const rows = page.getByRole('grid', { name: 'Events' }).getByRole('row')
    for (const [name, data] of [
      ['Replay: capture.sse', ['alpha', 'beta']],
      ['Replay: second.sse', ['from-the-second']],
    ] as const) {
      await tabs.filter({ hasText: name }).click()
      await expect(rows.filter({ hasText: /alpha|beta|from-the-second/ })).toHaveText(
        data.map((text) => new RegExp(`${text}$`)),
      )
    }
    await page.getByRole('tab', { name: 'Library' }).click()
    const listed = page.getByRole('region', { name: 'Library' }).getByRole('row')
    await expect(listed.filter({ hasText: 'capture.sse' })).toHaveCount(1)
    await expect(listed.filter({ hasText: 'second.sse' })).toHaveCount(1)
    // Another page (or this one reloaded) does not open them again.
    const other = await browser.newPage()
    await other.goto(appUrl)
    await expect(other.getByRole('heading', { name: 'Inspect a Server-Sent Events stream' })).toBeVisible()
    await expect(
      other.getByRole('tablist', { name: 'Connections' }).getByRole('tab', { name: /^Replay: / }),
    ).toHaveCount(0)
    await other.close()
    await page.reload()
    await tabs.filter({ hasText: 'Replay: capture.sse' }).click()
    await expect(rows.filter({ hasText: /alpha|beta/ })).toHaveCount(2)
    await expect(tabs).toHaveCount(2) // given back, not opened again
    // Its port taken: serve says so before anything goes into its library.
    const busyPort = new URL(appUrl).port
    const untouched = mkdtempSync(join(tmpdir(), 'sse-e2e-busy-'))
    const args = ['bin/sse-inspector.js', 'serve', '--port', busyPort, '--library', untouched, capture]
    const busy = spawnSync(process.execPath, args, { encoding: 'utf8' })
    expect(busy.status).toBe(1)
    expect(busy.stderr).toContain(`sse-inspector serve: cannot listen on 127.0.0.1:${busyPort}`)
    expect(readdirSync(untouched).filter((name) => name.endsWith('.sserec'))).toEqual([])
  } finally {
    child.kill('SIGINT')
  }
  // Not a recording: one line saying so, exit 1, the library untouched; a missing file is a usage error.
  const broken = testInfo.outputPath('broken.sserec')
  writeFileSync(broken, Buffer.from([0x67, 0, 1, 2, 0xff, 0xfe]))
  for (const [file, status, message] of [
    [
      broken,
      1,
      'sse-inspector serve: cannot import broken.sserec: broken.sserec is not a recording, a HAR file or SSE text: it is binary\n',
    ],
    [`${broken}-gone`, 2, `sse-inspector serve: ${broken}-gone is not a file`],
  ] as const) {
    const failed = spawnSync(
      process.execPath,
      ['bin/sse-inspector.js', 'serve', '--port', '0', '--library', library, file],
      { encoding: 'utf8' },
    )
    expect(failed.status).toBe(status)
    expect(failed.stderr.startsWith(message)).toBe(true)
    expect(failed.stdout).toBe('')
  }
})

test('Open a recording… (and Ctrl+O) picks a file and opens it in a tab; one that is not a recording says why', async ({
  page,
}, testInfo) => {
  const capture = testInfo.outputPath('picked.sse')
  writeFileSync(capture, 'id: 1\ndata: picked-one\n\nid: 2\ndata: picked-two\n\n')
  const broken = testInfo.outputPath('picked-broken.sserec')
  writeFileSync(broken, Buffer.from([0x67, 0, 1, 2, 0xff, 0xfe]))
  // A backend of its own: what it imports stays out of the library the other tests share.
  const { child, appUrl } = await startServe(mkdtempSync(join(tmpdir(), 'sse-e2e-pick-')))
  try {
    // Choosers are intercepted only while someone listens: always, or a key could open one unseen.
    page.on('filechooser', () => {})
    await page.goto(appUrl)
    let chooser = page.waitForEvent('filechooser')
    await page.getByRole('button', { name: 'Open a recording…' }).click()
    await (await chooser).setFiles(capture)
    await expect(page.getByRole('tab', { name: 'Replay: picked.sse' })).toHaveAttribute(
      'aria-selected',
      'true',
    )
    const rows = page.getByRole('grid', { name: 'Events' }).getByRole('row')
    await expect(rows.filter({ hasText: /picked-(one|two)$/ })).toHaveCount(2)
    chooser = page.waitForEvent('filechooser')
    await page.keyboard.press('Control+o')
    await (await chooser).setFiles(broken)
    await expect(page.getByRole('alert')).toContainText(
      'cannot import picked-broken.sserec: picked-broken.sserec is not a recording, a HAR file or SSE text: it is binary',
    )
    await expect(page.getByRole('tab', { name: /^Replay: / })).toHaveCount(1)
  } finally {
    child.kill('SIGINT')
  }
})
