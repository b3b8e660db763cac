import { readFileSync } from 'node:fs'
import { expect, test, type BrowserContext, type Locator, type Page } from '@playwright/test'
import { E2E_TOKEN } from '../../playwright.config.ts'
import { connectTo, demoUrl, openApp, withSseServer } from './helpers.ts'

/** Opens the app and connects once (no reconnect) to `url`. */
async function openOnce(page: Page, url: string): Promise<void> {
  await page.goto(`/?token=${E2E_TOKEN}`)
  await page.getByRole('button', { name: 'Options' }).click()
  await page.getByLabel('Reconnect like EventSource').uncheck()
  await connectTo(page, url)
}

/** Opens the app with the clipboard allowed and starts the demo's LLM example (POST + bearer). */
async function openLlmExample(page: Page, context: BrowserContext): Promise<void> {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  await page.goto(`/?token=${E2E_TOKEN}`)
  await page.getByRole('button', { name: /LLM chat completion/ }).click()
}

test('the LLM answer is assembled as it streams from the demo POST endpoint', async ({ page, context }) => {
  await openLlmExample(page, context)
  await page.getByRole('tab', { name: 'Assembled' }).click()
  const assembled = page.getByRole('region', { name: 'Assembled message' })
  await expect(assembled.getByLabel('Message text')).toHaveText(
    'You asked "What is SSE?". This answer streams one word per chunk, like a chat completion API.',
  )
  await expect(assembled).toContainText('openai-chat')
  await expect(assembled).toContainText('stop')
  await expect(assembled).toContainText('time to first token')
  await assembled.getByRole('button', { name: 'Copy message' }).click()
  await expect(assembled.getByRole('button', { name: 'Copied' })).toBeVisible()
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    'You asked "What is SSE?". This answer streams one word per chunk, like a chat completion API.',
  )
  await assembled.getByRole('button', { name: 'Markdown' }).click()
  await expect(assembled.getByLabel('Message rendered').locator('p')).toContainText(
    'You asked "What is SSE?".',
  )
})

test('statistics: counts by type, sizes, inter-arrival histogram, id gaps', async ({ page }) => {
  await page.goto(`/?token=${E2E_TOKEN}`)
  const demo = await demoUrl(page)
  await page
    .getByLabel('URL', { exact: true })
    .fill(`${demo}/ticker?interval=10&count=20&heartbeat=50&retry=60000`)
  await page.getByRole('button', { name: 'Connect', exact: true }).click()
  await expect(page.getByRole('status')).toHaveText('retrying')
  await page.getByRole('tab', { name: 'Statistics' }).click()
  const stats = page.getByRole('region', { name: 'Statistics' })
  await expect(stats).toContainText('tick: 20')
  await expect(stats).toContainText('20 with id · 0 duplicates · 0 gaps')
  await expect(stats).toContainText(/first event\s*\d+ ms after the request \(headers after \d+ ms\)/)
  await expect(stats.getByRole('table', { name: 'Inter-arrival histogram' })).toContainText('≤ 50 ms')
})

test('statistics follow a live stream: recomputed every second while events keep coming', async ({
  page,
}) => {
  await page.goto(`/?token=${E2E_TOKEN}`)
  const demo = await demoUrl(page)
  // An event every 50 ms: new rows arrive far more often than the once-a-second recomputation.
  await connectTo(page, `${demo}/ticker?interval=50&count=2000`)
  await page.getByRole('tab', { name: 'Statistics' }).click()
  const events = page.getByRole('region', { name: 'Statistics' }).locator('dd').first()
  await expect(events).toHaveText(/^\d+$/)
  const first = Number(await events.textContent())
  await expect
    .poll(async () => Number(await events.textContent()), { timeout: 5000 })
    .toBeGreaterThan(first + 20)
  await page.getByRole('button', { name: 'Disconnect' }).click()
})

test('raw bytes: chunks as received; the selected event is highlighted in text and hex', async ({ page }) => {
  await page.goto(`/?token=${E2E_TOKEN}`)
  const demo = await demoUrl(page)
  await page.getByLabel('URL', { exact: true }).fill(`${demo}/crlf`)
  await page.getByRole('button', { name: 'Connect', exact: true }).click()
  const events = page.getByRole('grid', { name: 'Events' })
  await events.getByRole('row').filter({ hasText: '"seq":2' }).click()
  await page.getByRole('tab', { name: 'Raw bytes' }).click()
  const raw = page.getByRole('region', { name: 'Raw bytes' })
  await expect(raw.getByRole('option', { selected: true })).toBeVisible()
  await expect(raw.getByLabel('Selected event bytes')).toContainText('id: 2\\r\\n')
  await expect(raw.getByLabel('Chunk hex')).toContainText('69 64 3a 20 32 0d 0a') // "id: 2\r\n"
  await page.screenshot({ path: 'test-results/e2e/raw-bytes.png' })
})

test('raw bytes: an event late in a chunk, after hundreds of chunks, is scrolled into view in the list and the bytes', async ({
  page,
}) => {
  const small = Array.from({ length: 300 }, (_, i) => `data: small ${i}\n\n`)
  // One write: an event of 40 000 bytes, then the one to find, 40 kB into the chunk.
  const big = `data: ${'z'.repeat(40_000)}\n\ndata: the target\n\n`
  await withSseServer([...small, big], async (url) => {
    await openOnce(page, url)
    await expect(page.getByRole('status')).toHaveText('closed')
    await page.getByRole('button', { name: 'Hide options' }).click() // the pane in the window's view
    await page.getByRole('tab', { name: 'Raw bytes' }).click()
    await page
      .getByRole('grid', { name: 'Events' })
      .getByRole('row')
      .filter({ hasText: 'the target' })
      .click()
    const raw = page.getByRole('region', { name: 'Raw bytes' })
    await expect(raw.getByRole('option', { selected: true })).toBeInViewport()
    await expect(raw.getByLabel('Selected event bytes')).toContainText('data: the target')
    await expect(raw.getByLabel('Selected event bytes')).toBeInViewport()
  })
})

test('the divider between the list and the detail pane drags, moves with ←/→, is kept, and resets', async ({
  page,
}) => {
  await page.goto(`/?token=${E2E_TOKEN}`)
  const demo = await demoUrl(page)
  await connectTo(page, `${demo}/ticker?interval=20&count=3`)
  // The layout settles once the stream has shown its events (the bar and the rows above the divider).
  await expect(
    page.getByRole('grid', { name: 'Events' }).getByRole('row').filter({ hasText: '"seq":3' }),
  ).toBeVisible()
  const side = page.locator('.side-panel')
  const divider = page.getByRole('separator', { name: /Resize the event list/ })
  const widthOf = async () => (await side.boundingBox())!.width
  const before = await widthOf()
  const handle = (await divider.boundingBox())!
  await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2)
  await page.mouse.down()
  await page.mouse.move(handle.x - 150, handle.y + handle.height / 2, { steps: 5 })
  await page.mouse.up()
  await expect.poll(widthOf).toBeGreaterThan(before + 140)
  const dragged = await widthOf()
  expect(dragged).toBeLessThan(before + 160)
  await divider.focus()
  await page.keyboard.press('ArrowRight')
  await expect.poll(widthOf).toBeCloseTo(dragged - 32, -1)
  await page.keyboard.press('End') // as narrow as it goes, and the list keeps the rest
  await expect.poll(widthOf).toBe(260)
  await page.reload() // the tab is given back, and the pane keeps its width
  await expect(
    page.getByRole('grid', { name: 'Events' }).getByRole('row').filter({ hasText: '"seq":3' }),
  ).toBeVisible()
  await expect.poll(widthOf).toBe(260)
  await page.getByRole('separator', { name: /Resize the event list/ }).dblclick()
  await expect.poll(widthOf).toBeCloseTo(before, -1)
})

test('Theme: System follows the system as it changes; Light and Dark stay, across a reload', async ({
  page,
}) => {
  await page.emulateMedia({ colorScheme: 'light' })
  await page.goto(`/?token=${E2E_TOKEN}`)
  const root = page.locator('html')
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor)
  const theme = page.getByRole('combobox', { name: 'Theme' })
  await expect(theme).toHaveValue('system')
  await expect(root).toHaveAttribute('data-theme', 'light')
  expect(await background()).toBe('rgb(255, 255, 255)')
  const demo = await demoUrl(page)
  await connectTo(page, `${demo}/ticker?interval=20&count=3`)
  await expect(
    page.getByRole('grid', { name: 'Events' }).getByRole('row').filter({ hasText: '"seq":3' }),
  ).toBeVisible()
  const draws = () => page.evaluate(() => performance.getEntriesByName('timeline-draw').length)
  const drawsBefore = await draws()
  await page.emulateMedia({ colorScheme: 'dark' }) // the system switches: so does the app, timeline too
  await expect(root).toHaveAttribute('data-theme', 'dark')
  expect(await background()).toBe('rgb(21, 24, 30)')
  await expect.poll(draws).toBeGreaterThan(drawsBefore)
  await theme.selectOption('light') // pinned: the system's dark no longer applies
  await expect(root).toHaveAttribute('data-theme', 'light')
  await page.reload()
  await expect(root).toHaveAttribute('data-theme', 'light')
  await expect(theme).toHaveValue('light')
  await page.emulateMedia({ colorScheme: 'light' })
  await theme.selectOption('dark')
  await expect(root).toHaveAttribute('data-theme', 'dark')
  await theme.selectOption('system')
  await expect(root).toHaveAttribute('data-theme', 'light')
})

test('a very large event shows its first 256 Ki characters (data and raw frame) until Show all', async ({
  page,
}) => {
  await page.goto(`/?token=${E2E_TOKEN}`)
  const demo = await demoUrl(page)
  await connectTo(page, `${demo}/huge?bytes=600000`)
  await page
    .getByRole('grid', { name: 'Events' })
    .getByRole('row')
    .filter({ hasText: 'xxxxxxxx' })
    .first()
    .click()
  const detail = page.getByRole('complementary', { name: 'Event detail' })
  const lengthOf = (label: string) => detail.getByLabel(label).evaluate((e) => e.textContent!.length)
  await expect.poll(() => lengthOf('Event data')).toBe(262_144)
  await expect(detail.getByRole('note').first()).toHaveText(/Showing the first 262,144 of 600,000 characters/)
  await expect(detail.getByRole('note').nth(1)).toHaveText(/Showing the first 262,144 of 600,\d{3} bytes/)
  await detail.getByRole('button', { name: 'Show all' }).first().click()
  await expect.poll(() => lengthOf('Event data')).toBe(600_000)
  await expect.poll(() => lengthOf('Raw frame')).toBeGreaterThan(600_000) // "data: " and the line ends too
  await expect(detail.getByRole('note')).toHaveCount(0)
})

test('a JSON event too big for the tree shows its first 2000 values and says how many more where it cut', async ({
  page,
}) => {
  const data = JSON.stringify({ items: Array.from({ length: 3000 }, (_, i) => i), one: [1], note: 'end' })
  await withSseServer(`data: ${data}\n\n`, async (url) => {
    await openOnce(page, url)
    await page.getByRole('grid', { name: 'Events' }).getByRole('row').filter({ hasText: '"items"' }).click()
    const tree = page.getByRole('complementary', { name: 'Event detail' }).getByLabel('Event data')
    await expect(tree.getByRole('note')).toHaveText(
      'The tree shows the first 2000 values; Text shows it all.',
    )
    // Where the cut is, and nowhere else: 1998 of the 3000 items shown, then the root's last member.
    await expect(tree.getByText(/^… \d+ more$/)).toHaveText(['… 1002 more', '… 2 more'])
    await expect(tree.locator('summary').first()).toContainText('3 keys')
    await expect(tree.locator('summary').nth(1)).toContainText('3000 items')
  })
})

test('the JSON tree counts members in words: 1 key, 1 item, 2 items', async ({ page }) => {
  await withSseServer(`data: {"choices":[{"delta":"hi"}],"pair":[1,2]}\n\n`, async (url) => {
    await openOnce(page, url)
    await page.getByRole('grid', { name: 'Events' }).getByRole('row').filter({ hasText: '"choices"' }).click()
    const tree = page.getByRole('complementary', { name: 'Event detail' }).getByLabel('Event data')
    await expect(tree.locator('.json-count')).toHaveText(['2 keys', '1 item', '1 key', '2 items'])
  })
})

test('Ctrl+C copies the selected row: an event its data, a request its record with secrets redacted', async ({
  page,
  context,
}) => {
  await openLlmExample(page, context)
  const events = page.getByRole('grid', { name: 'Events' })
  await events.getByRole('row').filter({ hasText: '[DONE]' }).click()
  await page.keyboard.press('Control+c')
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('[DONE]')
  await events
    .getByRole('row')
    .filter({ hasText: /^\d+\s*\S+\s*request/ })
    .first()
    .click()
  await page.keyboard.press('Control+c')
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain('"Authorization"')
  const copied = await page.evaluate(() => navigator.clipboard.readText())
  expect(copied).toContain('"method": "POST"')
  expect(copied).not.toContain('demo-token')
})

test('Export rows saves the rows shown, filter applied, as NDJSON with secrets redacted', async ({
  page,
  context,
}, testInfo) => {
  await openLlmExample(page, context)
  const events = page.getByRole('grid', { name: 'Events' })
  await expect(events.getByRole('row').filter({ hasText: '[DONE]' })).toBeVisible()
  const exportRows = async () => {
    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Export rows' }).click()
    const file = testInfo.outputPath(`rows-${Date.now()}.ndjson`)
    await (await download).saveAs(file)
    return readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; data?: string; headers?: [string, string][] })
  }
  const all = await exportRows()
  const shown = Number((await page.getByText(/^\d+ of \d+ rows$/).textContent())!.split(' ')[0])
  expect(all).toHaveLength(shown)
  expect(all[0]!.kind).toBe('request')
  expect(all[0]!.headers).toContainEqual(['Authorization', 'Bearer [redacted]'])
  expect(JSON.stringify(all)).not.toContain('demo-token')

  await page.getByLabel('Filter', { exact: true }).fill('[DONE]')
  await expect(page.getByText(/^1 of \d+ rows$/)).toBeVisible()
  const filtered = await exportRows()
  expect(filtered.map((r) => [r.kind, r.data])).toEqual([['event', '[DONE]']])
})

test("the connection bar's Copy as curl copies that tab's request, secrets redacted, whatever the editor holds now", async ({
  page,
  context,
}) => {
  await openLlmExample(page, context)
  await page.getByLabel('URL', { exact: true }).fill('http://example.test/edited-since')
  await page.getByRole('region', { name: 'Connection' }).getByRole('button', { name: 'Copy as curl' }).click()
  const copied = () => page.evaluate(() => navigator.clipboard.readText())
  await expect.poll(copied).toMatch(/^curl -N /)
  const curl = await copied()
  expect(curl).toContain('/v1/chat/completions')
  expect(curl).not.toContain('edited-since')
  expect(curl).toContain("--data-raw '{") // a POST with its body (curl infers the method)
  expect(curl).toContain("-H 'Authorization: Bearer [redacted]'")
})

test('Options: Copy as fetch copies JavaScript that streams the request, secrets redacted', async ({
  page,
  context,
}) => {
  await openLlmExample(page, context)
  await page.getByRole('button', { name: 'Options' }).click()
  await page.getByRole('button', { name: 'Copy as fetch' }).click()
  const copied = () => page.evaluate(() => navigator.clipboard.readText())
  await expect
    .poll(copied)
    .toMatch(/^const response = await fetch\("http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions", \{/)
  const snippet = await copied()
  expect(snippet).toContain('"method": "POST"')
  expect(snippet).toContain('"Authorization": "Bearer [redacted]"')
  expect(snippet).not.toContain('demo-token')
  expect(snippet).toContain('pipeThrough(new TextDecoderStream())')
})

test('Options: the body says when a GET would drop it or its JSON does not parse, and formats JSON', async ({
  page,
}) => {
  await openApp(page)
  await page.getByRole('button', { name: 'Options' }).click()
  const body = page.getByRole('textbox', { name: 'Body', exact: true })
  const note = page.getByRole('note').filter({ hasText: /body|JSON/ })
  await body.fill('{"model":"demo","stream":true')
  await expect(note).toHaveText('GET sends no body: this one stays here. Choose POST to send it.')
  await page.getByLabel('Method').selectOption('POST')
  await expect(note).toHaveText(/^Not valid JSON: /)
  await body.fill('{"model":"demo","stream":true}')
  await expect(note).toHaveCount(0)
  await page.getByRole('button', { name: 'Format JSON' }).click()
  await expect(body).toHaveValue('{\n  "model": "demo",\n  "stream": true\n}')
  await expect(page.getByRole('button', { name: 'Format JSON' })).toHaveCount(0) // already formatted
})

test('Statistics: a type clicked shows only events of that type in the list, until its chip is cleared', async ({
  page,
}) => {
  const frames = ['a', 'b', 'a', 'b', 'a'].map((type, i) => `event: ${type}\ndata: ${type}-${i}\n\n`)
  await withSseServer(frames.join(''), async (url) => {
    await openOnce(page, url)
    await expect(page.getByRole('status')).toHaveText('closed')
    const events = page.getByRole('grid', { name: 'Events' })
    await expect(events.getByRole('row').filter({ hasText: /-\d$/ })).toHaveCount(5)
    await page.getByRole('tab', { name: 'Statistics' }).click()
    const stats = page.getByRole('region', { name: 'Statistics' })
    await stats.getByRole('button', { name: 'b: 2' }).click()
    await expect(stats.getByRole('button', { name: 'b: 2' })).toHaveAttribute('aria-pressed', 'true')
    await expect(events.getByRole('row').filter({ hasText: /-\d$/ })).toHaveText([/b-1$/, /b-3$/])
    await expect(events.getByRole('row').filter({ hasText: 'open' })).toHaveCount(1) // other rows stay
    await page.getByRole('button', { name: 'type: b ×' }).click()
    await expect(events.getByRole('row').filter({ hasText: /-\d$/ })).toHaveCount(5)
  })
})

test('Statistics: of many event types, the 30 most frequent are buttons and the rest a count', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  // 2000 events of 100 types in turn: type-0 … type-99, twenty each (type-0 gets the 100th, 200th, …).
  await openOnce(page, `${demo}/firehose?count=2000&types=100`)
  await expect(page.getByRole('status')).toHaveText('closed')
  await page.getByRole('tab', { name: 'Statistics' }).click()
  const stats = page.getByRole('region', { name: 'Statistics' })
  await expect(stats.getByRole('button', { name: /^type-\d+: 20$/ })).toHaveCount(30)
  await expect(stats).toContainText('and 70 more types (1400 events)')
})

test('an event type, id and data of thousands of characters wrap or are cut: the page never scrolls sideways', async ({
  page,
}) => {
  const [type, id, data] = ['T', 'I', 'D'].map((c) => c.repeat(5000))
  await withSseServer(`event: ${type}\nid: ${id}\ndata: ${data}\n\n`, async (base) => {
    const url = `${base}${'p'.repeat(3000)}` // a URL (so a recording's name) of thousands of characters too
    await openOnce(page, url)
    await expect(page.getByRole('status')).toHaveText('closed')
    const lastId = page.getByRole('region', { name: 'Connection' }).locator('code.last-id')
    await expect(lastId).toHaveAttribute('title', id!) // the whole of it, as a tooltip
    await page.getByRole('grid', { name: 'Events' }).getByRole('row').filter({ hasText: 'DDDD' }).click()
    await expect(page.getByRole('complementary', { name: 'Event detail' })).toContainText('IIII')
    const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth])
    expect(widths[0]).toBe(widths[1]) // it was ~39 000 px wide
    // Statistics: the type's button is cut within the pane, its count in view.
    await page.getByRole('tab', { name: 'Statistics' }).click()
    const stats = page.getByRole('region', { name: 'Statistics' })
    const typeButton = stats.locator('.type-counts button')
    await expect(typeButton).toHaveText(`${type}: 1`)
    expect(await typeButton.getAttribute('title')).toBe(`Show only ${type} events in the list`)
    const [button, pane] = await Promise.all([typeButton.boundingBox(), stats.boundingBox()])
    expect(button!.x + button!.width).toBeLessThanOrEqual(pane!.x + pane!.width) // it ran ~40 000 px on
    // The Library's other columns stay in view beside the long name (they were pushed 39 000 px away).
    await page.getByRole('tab', { name: 'Library' }).click()
    const row = page.getByRole('region', { name: 'Library' }).getByRole('row').filter({ hasText: 'pppp' })
    await expect(row.getByRole('button', { name: 'Open' })).toBeInViewport()
    await expect(row.getByRole('cell').first()).toHaveAttribute('title', url)
  })
})

test('an event of 100 000 lines shows the first 2000 of its raw frame until Show all (each line ending is an element)', async ({
  page,
}) => {
  const lines = Array.from({ length: 100_000 }, (_, i) => `data: line ${i}\n`).join('')
  await withSseServer(`${lines}\n`, async (url) => {
    await openOnce(page, url)
    await expect(page.getByRole('status')).toHaveText('closed')
    await page.getByRole('grid', { name: 'Events' }).getByRole('row').filter({ hasText: 'line 0' }).click()
    const detail = page.getByRole('complementary', { name: 'Event detail' })
    const frame = detail.getByLabel('Raw frame')
    await expect(frame).toContainText('data: line 1999\\n')
    await expect(frame).not.toContainText('line 2000')
    const shown = Buffer.byteLength(lines.split('\n').slice(0, 2000).join('\n') + '\n')
    const total = Buffer.byteLength(lines) + 1
    const note = detail.getByRole('note').filter({ hasText: 'bytes' })
    await expect(note).toHaveText(
      `Showing the first ${shown.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} bytes. Show all`,
    )
    await note.getByRole('button', { name: 'Show all' }).click()
    await expect(frame).toContainText('data: line 99999\\n')
  })
})

test('an id with an invisible character shows it as an escape: in the list, the detail, the raw frame and the bar', async ({
  page,
}) => {
  await withSseServer('id: \u200b42\ndata: zero-width\n\n', async (url) => {
    await openOnce(page, url)
    await expect(page.getByRole('status')).toHaveText('closed')
    const lastId = page.getByRole('region', { name: 'Connection' }).locator('code.last-id')
    await expect(lastId).toHaveText('\\u200b42') // it read "42", which is another id
    const row = page.getByRole('grid', { name: 'Events' }).getByRole('row').filter({ hasText: 'zero-width' })
    await expect(row).toContainText('\\u200b42')
    await row.click()
    const detail = page.getByRole('complementary', { name: 'Event detail' })
    await expect(detail.locator('dd').nth(2)).toHaveText('\\u200b42') // the id field
    await expect(detail.locator('dd').nth(3)).toHaveText('\\u200b42') // the last event ID
    await expect(detail).toContainText('id: \\u200b42\\n') // the raw frame
  })
})

test('n and N in the event list jump to the next and previous problem row', async ({ page }) => {
  await withSseServer('data: a\n\nretry: soon\n\ndata: b\n\nfoo: bar\n\ndata: c\n\n', async (url) => {
    await openOnce(page, url)
    const events = page.getByRole('grid', { name: 'Events' })
    await expect(events.getByRole('row').filter({ hasText: /^\d+\s*\S+\s*\S+\s*message.*c$/ })).toBeVisible()
    await events.getByRole('row').filter({ hasText: 'request' }).first().click()
    const selected = events.getByRole('row', { selected: true })
    await page.keyboard.press('n')
    await expect(selected).toContainText('invalid-retry')
    await page.keyboard.press('n')
    await expect(selected).toContainText('unknown-field')
    await page.keyboard.press('Shift+N')
    await expect(selected).toContainText('invalid-retry')
  })
})

test('JSON nested thousands deep shows 64 levels of its tree; the page does not break and the detail follows the selection', async ({
  page,
}) => {
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  const depth = 3000
  const deep = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
  await withSseServer(`data: ${deep}\n\ndata: {"after":true}\n\n`, async (url) => {
    await openOnce(page, url)
    await expect(page.getByRole('status')).toHaveText('closed')
    const rows = page.getByRole('grid', { name: 'Events' }).getByRole('row')
    const detail = page.getByRole('complementary', { name: 'Event detail' })
    await rows.filter({ hasText: '{"a":{"a"' }).click()
    await expect(detail.getByRole('note')).toHaveText(
      'The tree shows 64 levels; Text shows what is nested deeper.',
    )
    expect(await detail.locator('details').count()).toBe(64)
    await rows.filter({ hasText: '{"after":true}' }).click()
    await expect(detail).toContainText('"after": true')
  })
  expect(errors).toEqual([]) // it was "Maximum call stack size exceeded", and the pane kept the old event
})

test('a retry of months counts down in days, and no reconnect goes meanwhile', async ({ page }) => {
  await withSseServer('retry: 9999999999\ndata: once\n\n', async (url) => {
    await page.goto(`/?token=${E2E_TOKEN}`)
    await connectTo(page, url)
    const bar = page.getByRole('region', { name: 'Connection' })
    await expect(bar.getByRole('timer')).toHaveText(/^reconnect #1 in 115 d 17 h$/)
    await page.waitForTimeout(500)
    await expect(bar.getByRole('status')).toHaveText('retrying') // it was a new request every millisecond
    await expect(
      page.getByRole('grid', { name: 'Events' }).getByRole('row').filter({ hasText: 'GET ' }),
    ).toHaveCount(1)
  })
})

test('a half-screen window (820 px): the event list keeps its data column and its heading to itself; the Library fits', async ({
  page,
}) => {
  await page.setViewportSize({ width: 820, height: 700 })
  await page.goto(`/?token=${E2E_TOKEN}`)
  const demo = await demoUrl(page)
  await connectTo(page, `${demo}/ticker?interval=50&count=5`)
  const events = page.getByRole('grid', { name: 'Events' })
  const tick = events.getByRole('row').filter({ hasText: '"seq":1' })
  await expect(tick).toBeVisible()
  // The data is shown (Δ ms and size give way), and the heading does not run over the detail pane.
  const data = await tick.getByRole('gridcell').last().boundingBox()
  expect(data!.width).toBeGreaterThan(100)
  const list = await page.locator('.event-list').boundingBox()
  const heading = await page.locator('.grid-head').boundingBox()
  for (const box of [data!, heading!]) expect(box.x + box.width).toBeLessThanOrEqual(list!.x + list!.width)
  await expect(page.locator('.grid-head')).toHaveCSS('overflow-x', 'hidden')
  // The detail pane's tabs keep their names whole ("Det…", "Statist…" were cut), all in view.
  for (const tab of await page.getByRole('tablist', { name: 'Views' }).getByRole('tab').all()) {
    await expect(tab).toBeInViewport({ ratio: 1 })
    expect(await tab.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true)
  }
  // The check examples' paths stay whole ("/buffer" + "ed" on two lines before).
  await page.getByRole('tab', { name: '✓ Checks' }).click()
  const paths = page.getByRole('region', { name: 'Check examples' }).locator('li code')
  await expect(paths.first()).toBeVisible()
  const linesOf = (codes: Element[]) =>
    codes.map((code) => {
      const text = document.createRange() // one rect per line the text runs over
      text.selectNodeContents(code)
      return text.getClientRects().length
    })
  expect(await paths.evaluateAll(linesOf)).toEqual((await paths.all()).map(() => 1))
  // The Library: no sideways scrolling, every row's buttons in view.
  await page.getByRole('tab', { name: 'Library' }).click()
  const library = page.getByRole('region', { name: 'Library' })
  const row = library.getByRole('row').filter({ hasText: 'ticker' }).first()
  await expect(row.getByRole('button', { name: /^Delete / })).toBeInViewport({ ratio: 1 })
  await expect(row.getByRole('button', { name: '10×' })).toBeInViewport({ ratio: 1 })
  const [scrollWidth, clientWidth] = await library.evaluate((section) => [
    section.scrollWidth,
    section.clientWidth,
  ])
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth)
})

test('a short window never scrolls the page: what does not fit scrolls in the view, the URL bar stays in view', async ({
  page,
}) => {
  await page.setViewportSize({ width: 900, height: 450 })
  await page.goto(`/?token=${E2E_TOKEN}`)
  await page.getByRole('button', { name: 'Options' }).click() // a third of the window
  const pageOverflow = () => page.evaluate(() => document.scrollingElement!.scrollHeight - window.innerHeight)
  expect(await pageOverflow()).toBe(0)
  // The examples, longer than what is left, scroll in the view: the last one comes into sight.
  const last = page.getByRole('region', { name: 'Examples' }).getByRole('button').last()
  await last.scrollIntoViewIfNeeded()
  await expect(last).toBeInViewport()
  await expect(page.getByLabel('URL', { exact: true })).toBeInViewport({ ratio: 1 })
  expect(await pageOverflow()).toBe(0)
})

test('disabled controls look disabled (dimmed, a not-allowed cursor): Compare until two are picked, Run checks while a run goes', async ({
  page,
}) => {
  await openApp(page)
  const looks = (control: Locator) =>
    control.evaluate((element) => {
      const style = getComputedStyle(element)
      return { opacity: style.opacity, cursor: style.cursor }
    })
  await page.getByRole('tab', { name: 'Library' }).click()
  const compare = page.getByRole('button', { name: 'Compare 2 selected' })
  await expect(compare).toBeDisabled()
  expect(await looks(compare)).toEqual({ opacity: '0.5', cursor: 'not-allowed' })
  expect(await looks(page.getByRole('button', { name: 'Refresh' }))).toEqual({
    opacity: '1',
    cursor: 'pointer',
  })

  await page.getByLabel('URL', { exact: true }).fill(`${await demoUrl(page)}/ticker?interval=100`)
  await page.getByRole('tab', { name: '✓ Checks' }).click()
  const panel = page.getByRole('region', { name: 'Checks' })
  await panel.getByLabel('Observe for seconds').fill('2')
  await panel.getByRole('button', { name: 'Run checks' }).click()
  const run = panel.getByRole('button', { name: /^(Run checks|Run again)$/ })
  await expect(run).toBeDisabled()
  expect((await looks(run)).opacity).toBe('0.5')
  await expect(run).toBeEnabled({ timeout: 20_000 })
  expect((await looks(run)).opacity).toBe('1')
})
