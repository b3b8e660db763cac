import { expect, test, type Page } from '@playwright/test'
import { E2E_TOKEN } from '../../playwright.config.ts'

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
    })
  })
}
