import { expect, test, type Page } from '@playwright/test'
import { connectTo, openApp, demoUrl, withSseServer } from './helpers.ts'

async function connectTicker(page: Page) {
  await openApp(page)
  const demo = await demoUrl(page)
  await page.getByLabel('URL', { exact: true }).fill(`${demo}/ticker?interval=100&count=20&retry=60000`)
  await page.getByRole('button', { name: 'Options' }).click()
  await page.getByLabel('Reconnect like EventSource').uncheck()
  await page.getByRole('button', { name: 'Options' }).click()
  await page.getByRole('button', { name: 'Connect', exact: true }).click()
  await expect(page.getByRole('status')).toHaveText('closed', { timeout: 10_000 })
}

test('timeline: selecting in the list marks the timeline; clicking the timeline selects the row', async ({
  page,
}) => {
  await connectTicker(page)
  const timeline = page.getByRole('region', { name: 'Timeline' })
  await timeline.getByRole('button', { name: 'Fit all' }).click()
  const canvas = timeline.getByRole('img')
  const events = page.getByRole('grid', { name: 'Events' })
  await events.getByRole('row').filter({ hasText: '"seq":5,' }).click()
  await expect(canvas).toHaveAttribute('data-selected-x', /\d+/)
  const x5 = Number(await canvas.getAttribute('data-selected-x'))
  await events.getByRole('row').filter({ hasText: '"seq":15,' }).click()
  const x15 = Number(await canvas.getAttribute('data-selected-x'))
  expect(x15).toBeGreaterThan(x5 + 100) // 1 s apart on a ~2 s axis
  await canvas.click({ position: { x: x5, y: 40 } })
  const detail = page.getByRole('complementary', { name: 'Event detail' })
  await expect(detail.getByLabel('Event data')).toContainText('"seq": 5')
  await expect(events.getByRole('row', { selected: true })).toContainText('"seq":5,')
  await page.screenshot({ path: 'test-results/e2e/timeline.png' })
})

test('timeline: a brushed range filters the list; clearing it restores the list', async ({ page }) => {
  await connectTicker(page)
  const timeline = page.getByRole('region', { name: 'Timeline' })
  await timeline.getByRole('button', { name: 'Fit all' }).click()
  const canvas = timeline.getByRole('img')
  const events = page.getByRole('grid', { name: 'Events' })
  await page.getByLabel('Lifecycle').uncheck()
  await page.getByLabel('Retry').uncheck()
  await expect(events.getByRole('row')).toHaveCount(20)
  const box = (await canvas.boundingBox())!
  await page.keyboard.down('Shift')
  await page.mouse.move(box.x + 2, box.y + 40)
  await page.mouse.down()
  await page.mouse.move(box.x + box.width / 2, box.y + 40, { steps: 5 })
  await page.mouse.up()
  await page.keyboard.up('Shift')
  const filtered = await events.getByRole('row').count()
  expect(filtered).toBeGreaterThan(3)
  expect(filtered).toBeLessThan(17)
  await timeline.getByRole('button', { name: 'Clear time range' }).click()
  await expect(events.getByRole('row')).toHaveCount(20)
})

test('timeline: hiding it gives its room to the event list; t brings it back; the choice is kept', async ({
  page,
}) => {
  await connectTicker(page)
  const timeline = page.getByRole('region', { name: 'Timeline' })
  const events = page.getByRole('grid', { name: 'Events' })
  const listHeight = async () => (await events.boundingBox())!.height
  const shown = await listHeight()
  await timeline.getByRole('button', { name: 'Hide timeline' }).click()
  await expect(timeline.getByRole('img')).toHaveCount(0)
  await expect.poll(listHeight).toBeGreaterThan(shown + 100)
  await page.reload()
  await expect(page.getByRole('region', { name: 'Timeline' }).getByRole('img')).toHaveCount(0)
  await connectTicker(page)
  await expect(timeline.getByRole('button', { name: 'Show timeline' })).toBeVisible()
  await events.click() // focus away from any field: t is a shortcut only outside them
  await page.keyboard.press('t')
  await expect(timeline.getByRole('img')).toBeVisible()
  await expect(timeline.getByRole('button', { name: 'Hide timeline' })).toHaveAttribute(
    'aria-expanded',
    'true',
  )
})

test('timeline: a short window gets thinner tracks and the event list keeps rows in view', async ({
  page,
}) => {
  await page.setViewportSize({ width: 900, height: 600 })
  await connectTicker(page)
  const canvas = page.getByRole('region', { name: 'Timeline' }).getByRole('img')
  const canvasHeight = async () => (await canvas.boundingBox())!.height
  expect(await canvasHeight()).toBeLessThanOrEqual(100)
  // Rows wholly in view: below the grid's header, above the window's bottom edge.
  const rowsInView = () =>
    page.getByRole('grid', { name: 'Events' }).evaluate((grid) => {
      const bottom = Math.min(grid.getBoundingClientRect().bottom, window.innerHeight)
      return [...grid.querySelectorAll('[role="row"]')].filter((row) => {
        const box = row.getBoundingClientRect()
        return box.height > 0 && box.top >= 0 && box.bottom <= bottom
      }).length
    })
  expect(await rowsInView()).toBeGreaterThanOrEqual(6)
  await page.setViewportSize({ width: 1400, height: 860 })
  await expect.poll(canvasHeight).toBe(150)
})

test('timeline: a stream with no events says its peak is 0 events/s, not the scale of one', async ({
  page,
}) => {
  // What the canvas writes, as it writes it (its labels are pixels, not DOM).
  await page.addInitScript(() => {
    const texts: string[] = []
    ;(window as unknown as { canvasTexts: string[] }).canvasTexts = texts
    const fillText = CanvasRenderingContext2D.prototype.fillText
    CanvasRenderingContext2D.prototype.fillText = function (text: string, x: number, y: number) {
      texts.push(text)
      return fillText.call(this, text, x, y)
    }
  })
  await withSseServer(': only a comment\n\n', async (url) => {
    await openApp(page)
    await page.getByRole('button', { name: 'Options' }).click()
    await page.getByLabel('Reconnect like EventSource').uncheck()
    await connectTo(page, url)
    await expect(page.getByRole('status')).toHaveText('closed')
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { canvasTexts: string[] }).canvasTexts.at(-1)))
      .toBeDefined()
    const labels = await page.evaluate(() =>
      (window as unknown as { canvasTexts: string[] }).canvasTexts.filter((text) => text.includes('/s max')),
    )
    expect(labels.at(-2)).toBe('0 events/s max')
    expect(labels.at(-1)).toMatch(/^[1-9]\d* B\/s max$/) // the comment's bytes did come
  })
})
