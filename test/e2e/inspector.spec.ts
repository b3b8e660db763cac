import { readFileSync } from 'node:fs'
import { expect, test } from '@playwright/test'
import { E2E_TOKEN } from '../../playwright.config.ts'
import { openApp, demoUrl, connectTo, pasteInto, withSseServer } from './helpers.ts'
import {
  CLIENT_CERT_FILE,
  CLIENT_KEY_ENCRYPTED_FILE,
  CLIENT_KEY_PASSPHRASE,
  startTlsSseServer,
  TEST_CERT_FILE,
} from '../support/tls-server.ts'

test('empty state offers demo examples; connecting shows events arriving', async ({ page }) => {
  await openApp(page)
  await expect(page.getByRole('region', { name: 'Examples' })).toBeVisible()
  await expect(page.getByRole('button', { name: /Ticker/ })).toBeVisible()
  const demo = await demoUrl(page)
  await connectTo(page, `${demo}/ticker?interval=50&count=5&retry=60000`)
  const events = page.getByRole('grid', { name: 'Events' })
  await expect(events.getByRole('row').filter({ hasText: '"seq":5' })).toBeVisible()
  await expect(events.getByRole('row').filter({ hasText: '"seq":1' })).toBeVisible()
  await expect(events.getByRole('row', { name: /retry 60000 ms/ })).toBeVisible() // the retry hint row
  await expect(
    events.getByRole('row', { name: /reconnect .*#1 in 60000 ms, Last-Event-ID: 5/ }),
  ).toBeVisible()
  await expect(page.getByRole('status')).toHaveText('retrying')
  // The bar counts down to the next attempt.
  const countdown = page.getByRole('region', { name: 'Connection' }).getByRole('timer')
  await expect(countdown).toHaveText(/^reconnect #1 in (59|60)\.\d s$/)
  const secondsLeft = async () => Number(/in ([\d.]+) s/.exec((await countdown.textContent()) ?? '')![1])
  const before = await secondsLeft()
  await expect.poll(secondsLeft).toBeLessThan(before)
  await page.screenshot({ path: 'test-results/e2e/ticker.png' })
})

test('the page has the app icon as its favicon, the same image packaging makes the app icon from', async ({
  page,
}) => {
  await openApp(page)
  const href = await page.locator('link[rel="icon"]').getAttribute('href')
  const icon = await page.request.get(new URL(href!, page.url()).href)
  expect(icon.status()).toBe(200)
  expect(icon.headers()['content-type']).toBe('image/svg+xml')
  expect(await icon.text()).toContain('<svg')
  // electron-builder makes every platform's icon from build/icon.png (rendered from this SVG)
  const png = readFileSync('build/icon.png')
  expect(png.subarray(1, 4).toString()).toBe('PNG')
  expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024])
})

test('selecting an event shows its data, raw frame with visible line endings, and chunks', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  await connectTo(page, `${demo}/crlf`)
  const row = page.getByRole('grid', { name: 'Events' }).getByRole('row').filter({ hasText: '"seq":2' })
  await row.click()
  const detail = page.getByRole('complementary', { name: 'Event detail' })
  await expect(detail.getByLabel('Event data')).toContainText('"seq": 2')
  await expect(detail.getByLabel('Raw frame')).toContainText('id: 2\\r\\n')
  await expect(detail.getByLabel('Raw frame')).toContainText('event: tick\\r\\n')
  await expect(detail.getByRole('table', { name: 'Network chunks' }).getByRole('row')).toHaveCount(2)
  await page.keyboard.press('ArrowDown')
  await expect(detail.getByLabel('Event data')).toContainText('"seq": 3')
  // JSON folds; Text shows the data exactly as sent.
  await detail.getByRole('button', { name: 'Text' }).click()
  await expect(detail.getByLabel('Event data')).toHaveText(/^\{"seq":3,"sentAtMs":\d+\}$/)
  // The response headers, on demand.
  await page.getByRole('button', { name: 'Response headers' }).click()
  await expect(page.getByRole('table', { name: 'Response headers' })).toContainText('text/event-stream')
})

test('a CRLF blank line cut between CR and LF: the next event’s raw frame says whose LF opens it', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  await connectTo(page, `${demo}/trickle?interval=1`) // cut after every CR
  await page.getByRole('grid', { name: 'Events' }).getByRole('row').filter({ hasText: 'and emoji' }).click()
  const raw = page.getByRole('complementary', { name: 'Event detail' }).getByLabel('Raw frame')
  await expect(raw).toHaveText(/^\\n \(ends the CRLF before: the network cut it after the CR\)\nid: 2\\r\\n/)
  await expect(raw.locator('.carried')).toHaveAttribute('title', /dispatched at the CR, as browsers do/)
  // the first event's range opens with its own field, with no such note
  await page.getByRole('grid', { name: 'Events' }).getByRole('row').filter({ hasText: 'héllo' }).click()
  await expect(raw).toHaveText(/^id: 1\\r\\n/)
})

test('filtering by text and regex narrows the list', async ({ page }) => {
  await openApp(page)
  const demo = await demoUrl(page)
  await connectTo(page, `${demo}/ticker?interval=10&count=12&retry=60000`)
  const events = page.getByRole('grid', { name: 'Events' })
  await expect(events.getByRole('row').filter({ hasText: '"seq":12' })).toBeVisible()
  await page.getByLabel('Filter', { exact: true }).fill('/"seq":1[01]\\b/')
  await expect(events.getByRole('row')).toHaveCount(2)
  await page.getByLabel('Filter', { exact: true }).fill('')
  await page.getByLabel('Filter by id').fill('7')
  await expect(events.getByRole('row')).toHaveCount(1)
  await expect(events.getByRole('row')).toContainText('"seq":7')
})

test('POST with a bearer token to the LLM endpoint streams the answer', async ({ page }) => {
  await openApp(page)
  await page.getByRole('button', { name: /LLM chat completion/ }).click()
  const events = page.getByRole('grid', { name: 'Events' })
  await expect(events.getByRole('row').filter({ hasText: '[DONE]' })).toBeVisible()
  await expect(events.getByRole('row').filter({ hasText: '"content":"asked ' })).toBeVisible()
  await expect(events.getByRole('row').filter({ hasText: 'chat.completion.chunk' }).first()).toBeVisible()
  await expect(page.getByRole('status')).toHaveText('closed')
  await page.screenshot({ path: 'test-results/e2e/llm.png' })
})

test("a Vercel AI SDK chat stream (useChat's) is assembled: its reasoning, its text, its finish", async ({
  page,
}) => {
  await openApp(page)
  await page.getByRole('button', { name: /AI SDK chat/ }).click()
  const events = page.getByRole('grid', { name: 'Events' })
  await expect(events.getByRole('row').filter({ hasText: '[DONE]' })).toBeVisible()
  await expect(page.getByRole('status')).toHaveText('closed') // a POST: not sent again
  await page.getByRole('tab', { name: 'Assembled' }).click()
  const assembled = page.getByRole('region', { name: 'Assembled message' })
  await expect(assembled.getByLabel('Message text')).toContainText('You asked "What is SSE?"')
  await expect(assembled).toContainText('ai-sdk-ui')
  await expect(assembled).toContainText('A demo: no model thinks here.')
})

test('reconnecting with an edited Last-Event-ID makes the server resume after it', async ({ page }) => {
  await openApp(page)
  const demo = await demoUrl(page)
  await connectTo(page, `${demo}/ticker?interval=30`)
  const events = page.getByRole('grid', { name: 'Events' })
  await expect(events.getByRole('row').filter({ hasText: '"seq":2,' })).toBeVisible()
  await page.getByLabel('Last-Event-ID to resume from').fill('500')
  await page.getByRole('button', { name: 'Reconnect with ID' }).click()
  await expect(events.getByRole('row').filter({ hasText: '"seq":501' })).toBeVisible()
  await expect(events.getByRole('row').filter({ hasText: 'Last-Event-ID: 500' })).toBeVisible()
  await page.getByRole('button', { name: 'Disconnect' }).click()
  await expect(page.getByRole('status')).toHaveText('closed')
  await expect(page.getByRole('button', { name: 'Connect', exact: true })).toBeVisible()
})

test('a 204 stops the stream; a wrong Content-Type shows a clear failure', async ({ page }) => {
  await openApp(page)
  const demo = await demoUrl(page)
  await connectTo(page, `${demo}/status/204`)
  await expect(page.getByRole('status')).toHaveText('closed')
  await expect(page.getByRole('region', { name: 'Connection' })).toContainText('204')
  await expect(page.getByRole('region', { name: 'Connection' })).toContainText(/from 127\.0\.0\.1:\d+/)
  await page.getByRole('button', { name: '+ New' }).click()
  await connectTo(page, `${demo}/wrong-content-type`)
  await expect(page.getByRole('status')).toHaveText('failed')
  await expect(page.getByRole('region', { name: 'Connection' })).toContainText(
    'a stream must be text/event-stream',
  )
  const errorRow = page.getByRole('grid', { name: 'Events' }).getByRole('row', { name: /error content-type/ })
  await expect(errorRow).toContainText('the body says: id: 1 event: tick') // what came instead
  await errorRow.click() // the detail says it in words before the record
  await expect(
    page.getByRole('complementary', { name: 'Event detail' }).getByLabel('Message', { exact: true }),
  ).toHaveText(
    /^Content-Type "text\/plain; charset=utf-8": a stream must be text\/event-stream; the body says: /,
  )
  // …and its bytes, as received, in Raw bytes.
  await page.getByRole('tab', { name: 'Raw bytes' }).click()
  await page.getByRole('listbox', { name: 'Network chunks received' }).getByRole('option').first().click()
  await expect(page.getByLabel('Chunk text')).toContainText('id: 1')
})

test('Keep cookies across reconnects (Options): the reconnect carries the affinity cookie', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  await page.getByRole('button', { name: 'Options' }).click()
  await page.getByLabel(/Max reconnects/).fill('1')
  await page.getByRole('checkbox', { name: 'Keep cookies across reconnects' }).check()
  await connectTo(page, `${demo}/sticky`)
  const events = page.getByRole('grid', { name: 'Events' })
  // the backend the cookie names resumes the stream: the second event is id 2, not id 1 again
  await expect(events.getByRole('row').filter({ hasText: '"seq":2' })).toBeVisible()
  await expect(events.getByRole('row').filter({ hasText: '"seq":1' })).toHaveCount(1)
  const bar = page.getByRole('region', { name: 'Connection' })
  await expect(bar).toContainText(/2 events.*1 reconnect(?!s)/)
})

test('Max event size (Options): a larger event fails the connection with an error naming the limit', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  await page.getByRole('button', { name: 'Options' }).click()
  await page.getByLabel(/Max event size/).fill('1')
  await page.getByRole('checkbox', { name: 'Reconnect like EventSource' }).uncheck()
  await connectTo(page, `${demo}/huge?bytes=${2 * 1024 * 1024}`)
  await expect(page.getByRole('status')).toHaveText('failed')
  await expect(
    page.getByRole('grid', { name: 'Events' }).getByRole('row', { name: /error too-large/ }),
  ).toContainText('size limit of 1.0 MiB')
})

test('a number typed wrong in Options is said beside its field and refused at Connect, not taken as the default', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  await page.getByRole('button', { name: 'Options' }).click()
  const timeout = page.getByLabel(/Connect timeout/)
  await timeout.fill('5s') // it connected with the default 10 s
  await page.getByLabel(/Max reconnects/).fill('1.5') // it reconnected without end
  await expect(timeout).toHaveAttribute('aria-invalid', 'true')
  const options = page.getByRole('form', { name: 'Request' })
  await expect(options.getByRole('note').filter({ hasText: '"5s" is not a number' })).toBeVisible()
  await expect(options.getByRole('note').filter({ hasText: 'must be a whole number' })).toBeVisible()
  await connectTo(page, `${demo}/ticker?interval=50`)
  await expect(page.getByRole('alert')).toHaveText(
    /Options: Max reconnects: must be a whole number; Connect timeout: "5s" is not a number\./,
  )
  await expect(page.getByRole('region', { name: 'Connection' })).toHaveCount(0) // no tab opened
  await page.getByLabel(/First-byte timeout/).fill('9999999') // past what a timer waits: 24 days
  await expect(
    options.getByRole('note').filter({ hasText: 'must be at most 2147483 (24 days)' }),
  ).toBeVisible()
  await timeout.fill('5')
  await page.getByLabel(/Max reconnects/).fill('1')
  await page.getByLabel(/First-byte timeout/).fill('')
  await expect(options.getByRole('note')).toHaveCount(0)
  await page.getByRole('button', { name: 'Connect', exact: true }).click()
  await expect(page.getByRole('status')).toHaveText('open')
  await expect(page.getByRole('alert')).toHaveCount(0)
})

test('a first-byte timeout set in Options ends a hung request with an error that says so', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  await page.getByRole('button', { name: 'Options' }).click()
  await page.getByLabel(/First-byte timeout/).fill('2')
  await page.getByRole('checkbox', { name: 'Reconnect like EventSource' }).uncheck()
  await connectTo(page, `${demo}/no-response`)
  // While it waits, the bar counts up and says when it will give up.
  const waiting = page.getByRole('region', { name: 'Connection' }).getByRole('timer')
  await expect(waiting).toContainText(/no response yet · [01]\.\d s \(gives up at 2 s\)/)
  await expect(page.getByRole('status')).toHaveText('failed')
  await expect(waiting).toBeHidden()
  await expect(
    page.getByRole('grid', { name: 'Events' }).getByRole('row', { name: /error timeout/ }),
  ).toContainText('no response headers within 2 s (first-byte timeout)')
})

test('a malformed URL gets a clear error, not a crash', async ({ page }) => {
  await openApp(page)
  await connectTo(page, 'not a url')
  await expect(page.getByRole('alert')).toContainText('URL is not valid')
  await expect(page.getByRole('region', { name: 'Examples' })).toBeVisible()
  await connectTo(page, 'file:///etc/passwd')
  await expect(page.getByRole('alert')).toContainText('URL must start with http:// or https://')
})

test('a URL typed without a scheme connects over http://, and the URL field says so', async ({ page }) => {
  await openApp(page)
  const demo = await demoUrl(page)
  const url = `${demo}/ticker?interval=20&count=2`
  await connectTo(page, url.replace('http://', ''))
  await expect(
    page.getByRole('grid', { name: 'Events' }).getByRole('row').filter({ hasText: '"seq":2' }),
  ).toBeVisible()
  await expect(page.getByLabel('URL', { exact: true })).toHaveValue(url)
})

test('the API refuses calls without the token and from a foreign origin', async ({ page, request }) => {
  await openApp(page)
  const noToken = await request.post('/api/startDemo', { data: [] })
  expect(noToken.status()).toBe(401)
  const foreign = await request.post('/api/startDemo', {
    data: [],
    headers: { 'x-inspector-token': E2E_TOKEN, origin: 'http://evil.example' },
  })
  expect(foreign.status()).toBe(403)
})

test('pasting a curl command copied for Windows cmd.exe (curl.exe, ^ escapes) fills the request and connects', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  // As Chrome's "Copy as cURL (cmd)" writes it: ^" quotes, ^ escapes, ^ line continuations, CRLF.
  const curl = [
    `curl.exe ^"${demo}/v1/chat/completions?interval=1^"`,
    '-H ^"Content-Type: application/json^"',
    '-H ^"Authorization: Bearer sk-demo^"',
    '--data-raw ^"^{^\\^"messages^\\^":^[^{^\\^"role^\\^":^\\^"user^\\^",^\\^"content^\\^":^\\^"cmd^\\^"^}^]^}^"',
  ].join(' ^\r\n  ')
  await pasteInto(page.getByLabel('URL', { exact: true }), curl)
  await expect(page.getByLabel('URL', { exact: true })).toHaveValue(`${demo}/v1/chat/completions?interval=1`)
  await expect(page.getByLabel('Method')).toHaveValue('POST')
  await expect(page.getByLabel('Header value').nth(1)).toHaveValue('Bearer sk-demo')
  await page.getByRole('button', { name: 'Connect', exact: true }).click()
  await page.getByRole('tab', { name: 'Assembled' }).click()
  await expect(
    page.getByRole('region', { name: 'Assembled message' }).getByLabel('Message text'),
  ).toContainText('You asked "cmd"')
})

test('pasting a curl command fills the request; it connects and is kept in recent requests', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  const curl = `curl -N '${demo}/v1/chat/completions?interval=1' \\
    -H 'Content-Type: application/json' -H 'Authorization: Bearer sk-demo' \\
    -d '{"messages":[{"role":"user","content":"curl"}]}'`
  await pasteInto(page.getByLabel('URL', { exact: true }), curl)
  await expect(page.getByLabel('URL', { exact: true })).toHaveValue(`${demo}/v1/chat/completions?interval=1`)
  await expect(page.getByLabel('Method')).toHaveValue('POST')
  const values = page.getByLabel('Header value')
  await expect(values.nth(1)).toHaveAttribute('type', 'password') // the token is masked
  await expect(values.nth(1)).toHaveValue('Bearer sk-demo')
  // A POST is not sent again when its answer ends (the prompt would be answered, and billed, again).
  const reconnect = page.getByRole('checkbox', { name: 'Reconnect like EventSource' })
  await expect(reconnect).not.toBeChecked()
  await page.getByRole('button', { name: 'Connect', exact: true }).click()
  await expect(
    page.getByRole('grid', { name: 'Events' }).getByRole('row').filter({ hasText: '[DONE]' }),
  ).toBeVisible()
  await expect(page.getByRole('status')).toHaveText('closed')
  await page.getByLabel('Method').selectOption('GET')
  await expect(reconnect).toBeChecked() // a GET reconnects, as EventSource does
  await page.getByLabel('Method').selectOption('POST')
  await expect(reconnect).not.toBeChecked()

  await page.reload()
  await page.getByRole('button', { name: 'Options' }).click()
  const recent = page.getByLabel('Recent and saved requests')
  await expect(recent.locator('option').filter({ hasText: `POST ${demo}/v1/chat/completions` })).toHaveCount(
    1,
  )
  await recent.selectOption({ label: `POST ${demo}/v1/chat/completions?interval=1` })
  await expect(page.getByLabel('URL', { exact: true })).toHaveValue(`${demo}/v1/chat/completions?interval=1`)
  await expect(page.getByLabel('Header value').nth(1)).toHaveValue('') // secrets are never stored
})

test('keyboard: ? lists the shortcuts; Ctrl+L and Ctrl+Enter connect and disconnect; / filters; Alt+1 shows the first tab', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  await expect(page.getByRole('region', { name: 'Examples' })).toBeVisible() // the app is listening
  await page.keyboard.press('?')
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
  await expect(help).toBeVisible()
  await expect(help).toContainText('Connect, or disconnect the live connection')
  await page.keyboard.press('Escape')
  await expect(help).toBeHidden()

  await page.keyboard.press('Control+l')
  await expect(page.getByLabel('URL', { exact: true })).toBeFocused()
  await page.keyboard.type(`${demo}/ticker?interval=20&retry=60000`)
  await page.keyboard.press('Control+Enter')
  const events = page.getByRole('grid', { name: 'Events' })
  await expect(events.getByRole('row').filter({ hasText: '"seq":3' })).toBeVisible()
  await page.keyboard.press('Control+Enter')
  await expect(page.getByRole('button', { name: 'Connect', exact: true })).toBeVisible()
  await expect(page.getByRole('status')).toHaveText('closed')

  await events.getByRole('row').first().click()
  await page.keyboard.press('/')
  const filter = page.getByLabel('Filter', { exact: true })
  await expect(filter).toBeFocused()
  const rowCount = page.getByText(/^\d+ of \d+ rows$/)
  const all = await rowCount.textContent()
  await page.keyboard.type('"seq":2,')
  await expect(rowCount).toHaveText(/^1 of \d+ rows$/)
  await page.keyboard.press('Escape') // clears the filter…
  await expect(filter).toHaveValue('')
  await expect(rowCount).toHaveText(all!)
  await page.keyboard.press('Escape') // …and then hands the keys back to the list
  await expect(events).toBeFocused()

  await page.getByRole('button', { name: '+ New' }).click()
  await expect(page.getByRole('region', { name: 'Examples' })).toBeVisible()
  await page.keyboard.press('Alt+1')
  await expect(page.getByRole('tab', { name: /GET \/ticker/ })).toHaveAttribute('aria-selected', 'true')
})

test('mutual TLS from the Options: CA file, client certificate and an encrypted key with its passphrase', async ({
  page,
}) => {
  const server = await startTlsSseServer({ isClientCertRequired: true })
  try {
    await openApp(page)
    await page.getByRole('button', { name: 'Options' }).click()
    await page.getByLabel('Extra CA file (PEM path)').fill(TEST_CERT_FILE)
    await page.getByLabel('Client certificate (PEM path, mutual TLS)').fill(CLIENT_CERT_FILE)
    await page
      .getByLabel('Client key (PEM path, if not in the certificate file)')
      .fill(CLIENT_KEY_ENCRYPTED_FILE)
    await connectTo(page, server.url)
    await expect(page.getByRole('alert')).toContainText('the client key is encrypted: give its passphrase')
    const passphrase = page.getByLabel('Client key passphrase (if the key is encrypted)')
    await expect(passphrase).toHaveAttribute('type', 'password')
    await passphrase.fill(CLIENT_KEY_PASSPHRASE)
    await page.getByRole('button', { name: 'Hide options' }).click()
    await connectTo(page, server.url)
    const events = page.getByRole('grid', { name: 'Events' })
    await expect(events.getByRole('row').filter({ hasText: 'from sse-inspector-test-client' })).toBeVisible()

    // The response row tells the TLS it came over, and the handshake's time.
    await events
      .getByRole('row')
      .filter({ hasText: /^\d+\s*\S+\s*\S+\s*open/ })
      .first()
      .click()
    const detail = page.getByRole('complementary', { name: 'Event detail' })
    const tls = detail.getByLabel('TLS', { exact: true }).getByRole('definition')
    await expect(detail.getByRole('table', { name: 'Timing' })).toContainText('TLS handshake')
    await expect(tls.first()).toHaveText(/^TLSv1\.3, TLS_\w+$/)
    await expect(tls.filter({ hasText: 'DNS:localhost' })).toHaveText('IP Address:127.0.0.1, DNS:localhost')
    await expect(tls.filter({ hasText: /^\d{4}-\d\d-\d\d to / })).toHaveText(
      /^\d{4}-\d\d-\d\d to 2126-11-02 \(expires in [\d,]+ days\)$/,
    )
    await expect(detail).not.toContainText('not trusted') // the CA file vouches for it
    const bar = page.getByRole('region', { name: 'Connection' })
    await expect(bar).toContainText(/from 127\.0\.0\.1:\d+ over TLSv1\.3/)
    await expect(bar).not.toContainText('certificate')

    // Without the CA, accepted only by "Accept any TLS certificate": it says the certificate is not trusted.
    await page.getByRole('button', { name: 'Options' }).click()
    await page.getByLabel('Extra CA file (PEM path)').fill('')
    await page.getByLabel('Accept any TLS certificate').check()
    await page.getByRole('button', { name: 'Hide options' }).click()
    await page.getByRole('button', { name: '+ New' }).click()
    await connectTo(page, `${server.url}?insecure=1`)
    await events
      .getByRole('row')
      .filter({ hasText: /^\d+\s*\S+\s*\S+\s*open/ })
      .first()
      .click()
    await expect(bar).toContainText('over TLSv1.3, certificate not trusted (DEPTH_ZERO_SELF_SIGNED_CERT)')
    await expect(tls.filter({ hasText: 'not trusted' })).toHaveText(
      'not trusted (DEPTH_ZERO_SELF_SIGNED_CERT): accepted because “Accept any TLS certificate” is on',
    )
  } finally {
    await server.close()
  }
})

test('tabs close with ×, a middle click or Delete: the connection stops, the tab beside takes over, the recording stays', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  const tabs = page.getByRole('tablist', { name: 'Connections' })
  for (const path of ['/ticker?interval=50&closing=1', '/ticker?interval=50&closing=2', '/trickle']) {
    await page.getByRole('button', { name: '+ New' }).click()
    await connectTo(page, `${demo}${path}`)
    await expect(page.getByRole('status')).toHaveText(/open|retrying|closed/)
  }
  await tabs
    .getByRole('tab', { name: /GET \/ticker/ })
    .first()
    .click()
  await expect(page.getByRole('region', { name: 'Connection' })).toContainText('events')
  await tabs.locator('.tab-close').first().click() // its ×
  await expect(tabs.getByRole('tab', { name: /GET \/ticker/ })).toHaveCount(1)
  await expect(tabs.getByRole('tab', { name: /GET \/ticker/ })).toHaveAttribute('aria-selected', 'true')
  // ←/→ on a focused tab show the one before or after it.
  await tabs.getByRole('tab', { name: /GET \/ticker/ }).press('ArrowRight')
  await expect(tabs.getByRole('tab', { name: /GET \/trickle/ })).toHaveAttribute('aria-selected', 'true')
  await expect(tabs.getByRole('tab', { name: /GET \/trickle/ })).toBeFocused()
  await tabs.getByRole('tab', { name: /GET \/trickle/ }).press('ArrowLeft')
  await expect(tabs.getByRole('tab', { name: /GET \/ticker/ })).toHaveAttribute('aria-selected', 'true')
  await tabs.getByRole('tab', { name: /GET \/trickle/ }).click({ button: 'middle' })
  await expect(tabs.getByRole('tab', { name: /GET \/trickle/ })).toHaveCount(0)
  await tabs.getByRole('tab', { name: /GET \/ticker/ }).press('Delete') // the keyboard's way
  await expect(page.getByRole('region', { name: 'Examples' })).toBeVisible() // no tab left
  // The closed live connection was stopped: its recording ended, and is kept.
  await page.getByRole('tab', { name: 'Library' }).click()
  const library = page.getByRole('region', { name: 'Library' })
  await expect(library.getByRole('row').filter({ hasText: 'closing=1' })).toContainText('aborted')
})

test('many tabs: each is told apart by what differs in its URL, the strip scrolls to the active one, Checks, Library and + New stay', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  const tabs = page.getByRole('tablist', { name: 'Connections' })
  for (let i = 0; i < 16; i++) {
    await connectTo(page, `${demo}/ticker?interval=1000&tab=${i}`)
    await expect(tabs.getByRole('tab', { selected: true })).toContainText('GET /ticker')
  }
  // Each says the parameter the others do not share (all were "GET /ticker").
  await expect(tabs.getByRole('tab', { name: /GET \/ticker/ })).toHaveText(
    Array.from({ length: 16 }, (_, i) => `GET /ticker?tab=${i}`),
  )
  // The newest, active, is in view (it opened out of sight, at the strip's end), whole.
  const active = tabs.getByRole('tab', { selected: true })
  await expect(active).toHaveText('GET /ticker?tab=15')
  await expect(active).toBeInViewport({ ratio: 1 })
  for (const name of ['✓ Checks', 'Library'])
    await expect(page.getByRole('tab', { name })).toBeInViewport({ ratio: 1 })
  await expect(page.getByRole('button', { name: '+ New' })).toBeInViewport({ ratio: 1 })
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth])
  expect(widths[0]).toBe(widths[1])
  // The first, picked from the strip scrolled back, comes into view when chosen another way (Alt+1).
  await page.keyboard.press('Alt+1')
  await expect(tabs.getByRole('tab', { name: 'GET /ticker?tab=0', exact: true })).toBeInViewport({ ratio: 1 })
  // The wheel over the strip scrolls it sideways, to the last again.
  await tabs.getByRole('tab', { name: 'GET /ticker?tab=0', exact: true }).hover()
  await page.mouse.wheel(0, 5000)
  await expect(tabs.getByRole('tab', { name: 'GET /ticker?tab=15', exact: true })).toBeInViewport({
    ratio: 1,
  })
})

test('request and response rows show their headers with secrets masked until revealed (URL tokens too)', async ({
  page,
}) => {
  await openApp(page)
  await page.getByRole('button', { name: /LLM chat completion/ }).click()
  const events = page.getByRole('grid', { name: 'Events' })
  await expect(events.getByRole('row').filter({ hasText: '[DONE]' })).toBeVisible()
  await events
    .getByRole('row')
    .filter({ hasText: /^\d+\s*\S+\s*request/ })
    .first()
    .click()
  const detail = page.getByRole('complementary', { name: 'Event detail' })
  const sent = detail.getByRole('table', { name: 'Headers sent' })
  await expect(sent.getByRole('row').filter({ hasText: 'Authorization' })).toContainText('••••••')
  await expect(detail).not.toContainText('demo-token') // nowhere in the pane, not even as JSON
  await sent.getByRole('button', { name: 'Reveal secrets' }).click()
  await expect(sent.getByRole('row').filter({ hasText: 'Authorization' })).toContainText('Bearer demo-token')

  await events
    .getByRole('row')
    .filter({ hasText: /^\d+\s*\S+\s*\S+\s*open/ })
    .first()
    .click()
  await expect(detail.getByText('HTTP/1.1 200 OK')).toBeVisible()
  await expect(detail.getByRole('table', { name: 'Headers received' })).toContainText('text/event-stream')
  // How the time to headers went: a new connection to an IP (no DNS, no TLS), then the wait.
  const timing = detail.getByRole('table', { name: 'Timing' })
  await expect(timing.getByRole('row')).toHaveText([
    /^TCP connect\s*\d+(\.\d)? ms$/,
    /^Waiting for the head\s*\d+(\.\d)? ms$/,
  ])

  // A token in the URL is masked in the sent line until revealed.
  const demo = await demoUrl(page)
  await page.getByRole('button', { name: '+ New' }).click()
  await connectTo(page, `${demo}/ticker?interval=20&count=1&access_token=s3cret-token`)
  await events
    .getByRole('row')
    .filter({ hasText: /^\d+\s*\S+\s*request/ })
    .first()
    .click()
  await expect(detail).toContainText('access_token=')
  await expect(detail).not.toContainText('s3cret-token')
  await detail.getByRole('button', { name: 'Reveal secrets' }).click()
  await expect(detail).toContainText('access_token=s3cret-token')

  // A redirected response shows the chain it came through, tokens masked until revealed.
  await page.getByRole('button', { name: '+ New' }).click()
  await connectTo(
    page,
    `${demo}/redirect?status=302&to=${encodeURIComponent('/ticker?count=1&token=hop-secret')}`,
  )
  await events
    .getByRole('row')
    .filter({ hasText: /^\d+\s*\S+\s*\S+\s*open/ })
    .first()
    .click()
  await expect(page.getByRole('region', { name: 'Connection' })).toContainText('after 1 redirect')
  const chain = detail.getByLabel('Redirects')
  await expect(chain).toContainText(`302 ${demo}/redirect?status=302&to=`)
  await expect(chain).toContainText(`→ ${demo}/ticker?count=1&token=REDACTED`)
  await expect(chain).not.toContainText('hop-secret') // nor inside the first hop's encoded ?to=
  await detail.getByRole('button', { name: 'Reveal secrets' }).click()
  await expect(chain).toContainText(`→ ${demo}/ticker?count=1&token=hop-secret`)
})

test('the browser face says when its link has no valid token, when it loses its server, and when a call gets no answer', async ({
  page,
}) => {
  await page.goto('/?token=not-the-right-token')
  const link = page.getByRole('alert', { name: 'Server link' })
  await expect(link).toContainText('This page has no valid token')
  // Said once: the examples do not add an error of their own, nor wait for a demo server forever.
  await expect(page.getByRole('region', { name: 'Examples' })).toContainText(
    'The demo streams need the page opened with its link (see above).',
  )
  await expect(page.getByRole('alert')).toHaveCount(1)

  await page.route('**/api/pushes*', (route) => route.abort('connectionrefused'))
  await openApp(page)
  await expect(link).toContainText('Lost the SSE Inspector server; retrying every second')
  await page.unroute('**/api/pushes*')
  await expect(link).toBeHidden() // the next try, a second later, gets through

  await page.route('**/api/connect', (route) => route.abort('connectionrefused'))
  await connectTo(page, 'http://127.0.0.1:9/')
  await expect(page.getByRole('alert')).toContainText(
    'The SSE Inspector server does not answer: is it still running?',
  )
})

test('the URL field shows the active tab’s request; an edited URL connects a new tab instead of disconnecting', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  const urlField = page.getByLabel('URL', { exact: true })
  const tabs = page.getByRole('tablist', { name: 'Connections' })
  const first = `${demo}/ticker?interval=50&tab=first`
  const second = `${demo}/ticker?interval=50&tab=second`
  await connectTo(page, first)
  await expect(page.getByRole('status')).toHaveText('open')
  await expect(page.getByRole('button', { name: 'Disconnect' })).toBeVisible()
  await urlField.fill(second) // edited while live: somewhere new to go
  await expect(page.getByRole('button', { name: 'Connect', exact: true })).toBeVisible()
  await urlField.press('Enter')
  await expect(tabs.getByRole('tab', { name: /GET \/ticker/ })).toHaveCount(2)
  await expect(page.getByRole('status')).toHaveText('open')
  await tabs
    .getByRole('tab', { name: /GET \/ticker/ })
    .first()
    .click()
  await expect(urlField).toHaveValue(first) // the tab's own request
  await expect(page.getByRole('status')).toHaveText('open') // the first one kept running
  await page.getByRole('button', { name: 'Disconnect' }).click()
  await expect(page.getByRole('status')).toHaveText('closed')
  await tabs
    .getByRole('tab', { name: /GET \/ticker/ })
    .nth(1)
    .click()
  await expect(urlField).toHaveValue(second)
  await expect(page.getByRole('status')).toHaveText('open')
})

test('leaving the page while connections are live asks first; with none live it just closes', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  await connectTo(page, `${demo}/ticker?interval=100`)
  await expect(page.getByRole('status')).toHaveText('open')
  const asked: string[] = []
  page.on('dialog', (dialog) => {
    asked.push(dialog.type())
    void dialog.dismiss() // stay
  })
  await page.close({ runBeforeUnload: true })
  await expect.poll(() => asked).toEqual(['beforeunload'])
  expect(page.isClosed()).toBe(false)
  // Disconnected (its recording in the Library), the page goes without a question.
  await page.getByRole('button', { name: 'Disconnect' }).click()
  await expect(page.getByRole('status')).toHaveText('closed')
  await page.close({ runBeforeUnload: true })
  await expect.poll(() => page.isClosed()).toBe(true)
  expect(asked).toEqual(['beforeunload'])
})

test('reloading the page keeps its tabs: each connection goes on in its tab, with what came before the reload, the active tab still active', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  const tabs = page.getByRole('tablist', { name: 'Connections' })
  const urlField = page.getByLabel('URL', { exact: true })
  const first = `${demo}/ticker?interval=50&tab=first`
  await connectTo(page, first)
  await connectTo(page, `${demo}/ticker?interval=50&tab=second`)
  await expect(tabs.getByRole('tab', { name: /GET \/ticker/ })).toHaveCount(2)
  await tabs.getByRole('tab', { name: /tab=first/ }).click()
  await expect(urlField).toHaveValue(first)
  await expect(page).toHaveTitle('GET /ticker?tab=first (open) — SSE Inspector') // the browser tab says which
  const events = page.getByRole('grid', { name: 'Events' })
  await expect(events.getByRole('row').filter({ hasText: '"seq":40,' })).toHaveCount(1)

  page.on('dialog', (dialog) => void dialog.accept()) // "Reload site?": yes
  await page.reload()
  // The rate is of events arriving (20/s), not of those read back at once (40 and more).
  const rates: number[] = []
  for (let sampled = 0; sampled < 25; sampled++) {
    const rate = await page
      .getByText(/^\d+\/s$/)
      .textContent({ timeout: 100 })
      .catch(() => undefined)
    if (rate) rates.push(Number.parseInt(rate))
    await page.waitForTimeout(100)
  }
  expect(rates.length).toBeGreaterThan(10)
  expect(Math.max(...rates)).toBeLessThan(30)
  await expect(tabs.getByRole('tab', { name: /GET \/ticker/ })).toHaveCount(2)
  await expect(tabs.getByRole('tab', { name: /tab=first/ })).toHaveAttribute('aria-selected', 'true')
  await expect(urlField).toHaveValue(first)
  await expect(page.getByRole('status')).toHaveText('open')
  // The events from before the reload are back (read from the recording), each once, and new ones come.
  const filter = page.getByLabel('Filter', { exact: true })
  const rowCount = page.getByText(/^\d+ of \d+ rows$/)
  /** Filters by `text` and waits for the list to show that one row alone (the filter waits for typing to pause). */
  const showsOne = async (text: string) => {
    await filter.fill(text)
    await expect(events.getByRole('row').filter({ hasText: text })).toHaveCount(1)
    await expect(rowCount).toHaveText(/^1 of \d+ rows$/)
  }
  await showsOne('"seq":1,')
  await showsOne('"seq":8,')
  await showsOne('"seq":30,')
  await expect(page.getByText(/reading back after the reload/)).toHaveCount(0) // done, and said so
  await tabs.getByRole('tab', { name: /tab=second/ }).click()
  await expect(page.getByRole('status')).toHaveText('open')
  await showsOne('"seq":2,')
  await page.getByRole('checkbox', { name: 'Comments' }).uncheck()
  await page.getByRole('tab', { name: 'Library' }).click()
  await expect(page).toHaveTitle('Library — SSE Inspector')
  await page.getByRole('tab', { name: /tab=second/ }).click()
  await page.reload() // the filter is kept too
  await expect(filter).toHaveValue('"seq":2,')
  await expect(page.getByRole('checkbox', { name: 'Comments' })).not.toBeChecked()
  await expect(events.getByRole('row').filter({ hasText: '"seq":2,' })).toHaveCount(1)
  await expect(rowCount).toHaveText(/^1 of \d+ rows$/)
  await filter.fill('')
  await page.getByRole('checkbox', { name: 'Comments' }).check()
  // Another page is not given them.
  const other = await page.context().newPage()
  await openApp(other)
  await expect(other.getByRole('region', { name: 'Examples' })).toBeVisible()
  await expect(
    other.getByRole('tablist', { name: 'Connections' }).getByRole('tab', { name: /ticker/ }),
  ).toHaveCount(0)
  await other.close()
})

test('a /regex/ filter whose repetitions nest is refused with a note, not run (it would freeze the page); a plain one filters', async ({
  page,
}) => {
  await openApp(page)
  const padded = `data: {"pad":"${'x'.repeat(60)}"}\n\ndata: xy\n\n`
  await withSseServer(padded, async (url) => {
    await connectTo(page, url)
    await expect(
      page.getByRole('grid', { name: 'Events' }).getByRole('row').filter({ hasText: 'xy' }),
    ).toHaveCount(1)
    await page.getByRole('button', { name: 'Disconnect' }).click()
    const filter = page.getByLabel('Filter', { exact: true })
    const rowCount = page.getByText(/^\d+ of \d+ rows$/)
    await filter.fill('/(x+x+)+y/')
    await expect(page.locator('.filter-problem')).toHaveText('nested repetition: not applied')
    await expect(filter).toHaveAttribute('aria-invalid', 'true')
    await expect(rowCount).toHaveText(/^0 of \d+ rows$/)
    await filter.fill('/x+y/')
    await expect(page.locator('.filter-problem')).toHaveCount(0)
    await expect(rowCount).toHaveText(/^1 of \d+ rows$/)
  })
})

test('Options: Retry 429 and 5xx asks a 503 again after its Retry-After (EventSource, the default, gives up)', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  const rows = page.getByRole('grid', { name: 'Events' }).getByRole('row')
  const status = page.getByRole('region', { name: 'Connection' }).getByRole('status')
  await connectTo(page, `${demo}/status/503?retryAfter=1`)
  await expect(status).toHaveText('failed')
  await expect(rows.filter({ hasText: 'reconnect' })).toHaveCount(0)
  await page.getByRole('button', { name: 'Options' }).click()
  await page.getByLabel('Retry 429 and 5xx (after Retry-After)').check()
  await page.getByRole('group', { name: 'Requests' }).getByRole('button', { name: 'Copy as CLI' }).waitFor()
  await page.getByRole('button', { name: 'Options' }).click()
  await connectTo(page, `${demo}/status/503?retryAfter=1&again`)
  await expect(rows.filter({ hasText: /^\d+.*reconnect.*#1 in 1000 ms/ })).toHaveCount(1)
  await expect(rows.filter({ hasText: /^\d+.*reconnect.*#2 in 1000 ms/ })).toHaveCount(1, { timeout: 5000 })
  await page.getByRole('button', { name: 'Disconnect' }).click()
  await expect(status).toHaveText('closed')
})
