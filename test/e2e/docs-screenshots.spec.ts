import { expect, test, type Page } from '@playwright/test'
import { E2E_TOKEN } from '../../playwright.config.ts'
import { demoUrl, openApp } from './helpers.ts'

// Screenshots of the main screens, light and dark, for the README (docs/screenshots/).
for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} theme`, () => {
    test.use({ colorScheme, viewport: { width: 1360, height: 760 } })

    const shoot = (page: Page, name: string) =>
      page.screenshot({ path: `docs/screenshots/${name}-${colorScheme}.png` })

    test(`screenshots: examples and a live stream with detail (${colorScheme})`, async ({ page }) => {
      await page.goto(`/?token=${E2E_TOKEN}`)
      await expect(page.getByRole('button', { name: /Ticker/ })).toBeVisible()
      await shoot(page, 'examples')
      await page.getByRole('button', { name: /LLM chat completion/ }).click()
      const events = page.getByRole('grid', { name: 'Events' })
      await expect(events.getByRole('row').filter({ hasText: '[DONE]' })).toBeVisible()
      await events.getByRole('row').filter({ hasText: '"content":"streams ' }).click()
      await expect(page.getByLabel('Raw frame')).toContainText('\\n')
      await shoot(page, 'stream')
      await page.getByRole('tab', { name: 'Assembled' }).click()
      await expect(page.getByLabel('Message text')).toContainText('You asked')
      await shoot(page, 'assembled')
      await page.getByRole('tab', { name: 'Raw bytes' }).click()
      await expect(page.getByLabel('Selected event bytes')).toBeVisible()
      await shoot(page, 'raw-bytes')
    })
  })
}

test.describe('buffering proxy on the timeline', () => {
  test.use({ viewport: { width: 1360, height: 760 } })
  test('screenshots: bursts and reconnects on the timeline', async ({ page }) => {
    await openApp(page)
    const demo = await demoUrl(page)
    await page
      .getByLabel('URL', { exact: true })
      .fill(`${demo}/buffered?interval=50&flush=700&count=60&retry=300`)
    await page.getByRole('button', { name: 'Connect', exact: true }).click()
    const events = page.getByRole('grid', { name: 'Events' })
    await expect(events.getByRole('row', { name: /reconnect/ }).first()).toBeVisible({ timeout: 10_000 })
    await expect(events.getByRole('row').filter({ hasText: '"seq":75,' })).toBeVisible({ timeout: 10_000 })
    await page.getByRole('button', { name: 'Disconnect' }).click()
    await page.getByRole('region', { name: 'Timeline' }).getByRole('button', { name: 'Fit all' }).click()
    await page.getByRole('tab', { name: 'Statistics' }).click()
    await expect(page.getByRole('region', { name: 'Statistics' })).toContainText('tick: 87')
    await page.screenshot({ path: 'docs/screenshots/timeline-buffered.png' })
  })
})

test.describe('checks side by side', () => {
  test.use({ viewport: { width: 1360, height: 900 } })
  test('screenshots: the checks on a ticker beside one that buffers', async ({ page }) => {
    await openApp(page)
    await page.getByRole('tab', { name: '✓ Checks' }).click()
    const panel = page.getByRole('region', { name: 'Checks' })
    await panel.getByRole('button', { name: /^Side by side/ }).click()
    const comparison = panel.getByRole('table', { name: 'Comparison' })
    await expect(comparison.getByRole('row', { name: /^buffering / })).toContainText('held back up to', {
      timeout: 30_000,
    })
    await page.screenshot({ path: 'docs/screenshots/checks-compare.png' })
  })
})
