import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Locator, Page } from '@playwright/test'
import { E2E_TOKEN } from '../../playwright.config.ts'

/** Opens the app with the browser face's token. */
export const openApp = (page: Page) => page.goto(`/?token=${E2E_TOKEN}`)

/** The demo server's base URL, started on demand by the backend (as the examples do). */
export async function demoUrl(page: Page): Promise<string> {
  const response = await page.request.post('/api/startDemo', {
    headers: { 'x-inspector-token': E2E_TOKEN },
    data: [],
  })
  return ((await response.json()) as { result: { url: string } }).result.url
}

/** Types a URL and presses Connect. */
export async function connectTo(page: Page, url: string): Promise<void> {
  await page.getByLabel('URL', { exact: true }).fill(url)
  await page.getByRole('button', { name: 'Connect', exact: true }).click()
}

/**
 * Runs `use` with the URL of a server on 127.0.0.1 that answers every request with `body` as an SSE
 * stream: at once, or given as parts, each written 2 ms after the one before (a network chunk each).
 */
export async function withSseServer(
  body: string | readonly string[],
  use: (url: string) => Promise<void>,
): Promise<void> {
  const server = createServer(async (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' })
    for (const part of typeof body === 'string' ? [] : body) {
      response.write(part)
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
    response.end(typeof body === 'string' ? body : '')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
  } finally {
    server.close()
  }
}

/**
 * Holds back the page's calls to an API method until `release` is called, to see what the page shows
 * meanwhile (a long recording takes seconds to read). Unroute once the answer has arrived.
 */
export async function holdApiCalls(
  page: Page,
  method: string,
): Promise<{ isHeld: Promise<void>; release: () => void }> {
  let release = () => {}
  let held = () => {}
  const isHeld = new Promise<void>((resolve) => (held = resolve))
  await page.route(`**/api/${method}`, async (route) => {
    await new Promise<void>((resolve) => {
      release = resolve
      held()
    })
    await route.continue()
  })
  return { isHeld, release: () => release() }
}

/** Pastes `text` into a field as the clipboard would (a paste event carrying it). */
export async function pasteInto(field: Locator, text: string): Promise<void> {
  await field.evaluate((input, pasted) => {
    const data = new DataTransfer()
    data.setData('text', pasted)
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
  }, text)
}
