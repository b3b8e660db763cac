import { expect, test, type Locator, type Page } from '@playwright/test'
import { openApp, demoUrl } from './helpers.ts'
import { hasNginx, startNginx } from '../support/nginx.ts'

/** The Checks panel, for `url` typed in the URL field. */
async function openChecks(page: Page, url: string): Promise<Locator> {
  await page.getByLabel('URL', { exact: true }).fill(url)
  await page.getByRole('tab', { name: '✓ Checks' }).click()
  return page.getByRole('region', { name: 'Checks' })
}

test('the Checks panel runs the checks with progress and shows findings with evidence and fixes', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  const panel = await openChecks(page, `${demo}/buffered?interval=50&flush=600`)
  await panel.getByLabel('Observe for seconds').fill('2')
  await panel.getByRole('button', { name: 'Run checks' }).click()
  await expect(panel.getByText(/observing the stream/)).toBeVisible()
  const failed = panel.getByRole('region', { name: 'Failed' })
  await expect(failed).toContainText('Events arrive as they are sent', { timeout: 15_000 })
  await expect(failed).toContainText('held back up to')
  await expect(failed.getByRole('table', { name: 'Evidence for buffering' })).toContainText('addedDelayP95Ms')
  await expect(failed).toContainText('proxy_buffering off')
  await expect(panel.getByRole('region', { name: 'Passed' })).toContainText(
    'Content-Type is text/event-stream',
  )
  await page.screenshot({ path: 'test-results/e2e/checks.png' })

  // Re-run against a well-behaved stream: nothing fails.
  await page.getByLabel('URL', { exact: true }).fill(`${demo}/ticker?interval=50`)
  await panel.getByLabel('Observe for seconds').fill('1')
  await panel.getByRole('button', { name: 'Run again' }).click()
  await expect(panel.getByRole('region', { name: 'Passed' })).toContainText('Resumed right after', {
    timeout: 15_000,
  })
  await expect(panel.getByRole('region', { name: 'Failed' })).toHaveCount(0)
  const download = page.waitForEvent('download')
  await panel.getByRole('button', { name: 'Export Markdown' }).click()
  expect((await download).suggestedFilename()).toBe('sse-checks.md')
})

test('the Checks panel compares two URLs side by side; a reload while they run, or a look at the Library, keeps them', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  const panel = await openChecks(page, `${demo}/ticker?interval=50`)
  await panel.getByLabel('Observe for seconds').fill('1.5')
  await panel.getByLabel('Compare with URL').fill(`${demo}/no-resume?interval=50`)
  await panel.getByRole('button', { name: 'Run checks' }).click()
  await expect(panel.getByText(/observing the stream/)).toBeVisible()
  await page.reload() // the runs go on, and the page is given them back
  await expect(panel.getByText(/observing the stream|probing/)).toBeVisible()
  const comparison = panel.getByRole('table', { name: 'Comparison' })
  await expect(comparison).toBeVisible({ timeout: 20_000 })
  const resume = comparison.getByRole('row', { name: /^resume / })
  await expect(resume).toContainText('Resumed right after')
  await expect(resume).toContainText('started again from 1')
  await page.getByRole('tab', { name: 'Library' }).click()
  await page.getByRole('tab', { name: '✓ Checks' }).click()
  await expect(comparison.getByRole('row', { name: /^resume / })).toContainText('started again from 1')
})

test('before a first run the Checks panel offers demo streams: one click checks a ticker beside one that buffers', async ({
  page,
}) => {
  await openApp(page)
  await page.getByRole('tab', { name: '✓ Checks' }).click()
  const panel = page.getByRole('region', { name: 'Checks' })
  const examples = panel.getByRole('region', { name: 'Check examples' })
  await expect(examples).toContainText('No checks run yet')
  await expect(examples).toContainText('sse-inspector probe')
  await examples.getByRole('button', { name: /^Side by side/ }).click()
  // The example is the request: the URL field and Compare with URL say what runs (Copy as CLI copies it).
  await expect(page.getByLabel('URL', { exact: true })).toHaveValue(/\/ticker\?interval=100/)
  await expect(panel.getByLabel('Compare with URL')).toHaveValue(/\/buffered\?interval=100&flush=2000$/)
  await expect(panel.getByText(/observing the stream/)).toBeVisible()
  await expect(examples).toHaveCount(0)
  const comparison = panel.getByRole('table', { name: 'Comparison' })
  await expect(comparison).toBeVisible({ timeout: 30_000 })
  const buffering = comparison.getByRole('row', { name: /^buffering / })
  await expect(buffering.getByRole('cell').nth(1)).toContainText(/^pass .*events flow as they are sent/)
  await expect(buffering.getByRole('cell').nth(2)).toContainText(/^fail /)
  await expect(buffering.getByRole('cell').nth(2)).toContainText('held back up to')
  // A check's id stays on one line beside the findings ("content-type", not "conten / t-type").
  const idCell = comparison
    .getByRole('row', { name: /^content-type / })
    .getByRole('cell')
    .first()
  const code = idCell.locator('code')
  const fontSize = await code.evaluate((element) => parseFloat(getComputedStyle(element).fontSize))
  expect((await code.boundingBox())!.height).toBeLessThan(fontSize * 2) // two lines would be over 2×
})

test('a long check run shows its elapsed time and stops early with a report on what it saw', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  const panel = await openChecks(page, `${demo}/ticker?interval=50`)
  await panel.getByLabel('Observe for seconds').fill('120')
  await panel.getByLabel('Idle watch seconds').fill('600')
  await panel.getByRole('button', { name: 'Run checks' }).click()
  await expect(panel.getByText(/observing the stream for 120 s/)).toBeVisible()
  await expect(panel.getByText(/^[1-9]\d* s$/)).toBeVisible() // the elapsed time ticks
  await panel.getByRole('button', { name: 'Stop and report' }).click()
  await expect(panel.getByRole('note')).toHaveText(/Stopped early/)
  await expect(panel.getByRole('region', { name: 'Passed' })).toContainText('HTTP status')
  const skipped = panel.getByRole('region', { name: 'Skipped' })
  await expect(skipped).toContainText('stopped before the resume probe')
  await expect(skipped).toContainText('stopped before the idle watch')
  await expect(panel.getByRole('button', { name: 'Run again' })).toBeEnabled()
})

test('the Checks summary counts in words, and a redirect warns with its chain', async ({ page }) => {
  await openApp(page)
  const demo = await demoUrl(page)
  const panel = await openChecks(page, `${demo}/redirect?status=302&to=/ticker?interval=50`)
  await panel.getByLabel('Observe for seconds').fill('2')
  await panel.getByRole('button', { name: 'Run checks' }).click()
  const warnings = panel.getByRole('region', { name: 'Warnings' })
  await expect(warnings).toContainText(
    `302 ${demo}/redirect?status=302&to=/ticker?interval=50 → ${demo}/ticker`,
    {
      timeout: 15_000,
    },
  )
  const count = await warnings.locator('details').count()
  await expect(panel.locator('.badge-warn').first()).toHaveText(
    count === 1 ? '1 warning' : `${count} warnings`,
  )
  await expect(panel.locator('.badge-pass').first()).toHaveText(/^\d+ passed$/)
})

test('Copy as CLI gives the sse-inspector check command a CI job can run, secrets redacted', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  await openApp(page)
  await page.getByRole('button', { name: /LLM chat completion/ }).click() // a POST with a bearer token
  await page.getByRole('tab', { name: '✓ Checks' }).click()
  const panel = page.getByRole('region', { name: 'Checks' })
  await panel.getByLabel('Observe for seconds').fill('2')
  await panel.getByLabel('Origin for CORS').fill('https://app.example.com')
  await panel.getByRole('button', { name: 'Copy as CLI' }).click()
  const copied = () => page.evaluate(() => navigator.clipboard.readText())
  await expect.poll(copied).toMatch(/^sse-inspector check http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions /)
  const command = await copied()
  expect(command).toContain("-H 'Authorization: Bearer [redacted]'")
  expect(command).toContain("-d '{")
  expect(command).toMatch(/ --duration 2 --origin https:\/\/app\.example\.com$/)
  // the Options' Copy as CLI gives the watch command for the same request
  await page.getByRole('button', { name: 'Options' }).click()
  await page.getByRole('group', { name: 'Requests' }).getByRole('button', { name: 'Copy as CLI' }).click()
  await expect.poll(copied).toMatch(/^sse-inspector watch http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions /)
})

test('a duration typed wrong in Checks is said beside its field and refused, not run with the default', async ({
  page,
}) => {
  await openApp(page)
  const demo = await demoUrl(page)
  const panel = await openChecks(page, `${demo}/ticker?interval=50`)
  await panel.getByLabel('Observe for seconds').fill('2s') // it observed for the default 6 s
  await panel.getByLabel('Idle watch seconds').fill('0.2') // it watched for 1 s
  await expect(panel.getByRole('note').filter({ hasText: '"2s" is not a number' })).toBeVisible()
  await expect(panel.getByRole('note').filter({ hasText: 'must be 1 or more' })).toBeVisible()
  await panel.getByRole('button', { name: 'Run checks' }).click()
  await expect(page.getByRole('alert')).toHaveText(
    /Observe for: "2s" is not a number; Idle watch: must be 1 or more\./,
  )
  await expect(panel.getByText(/observing the stream/)).toHaveCount(0)
  await panel.getByLabel('Observe for seconds').fill('1')
  await panel.getByLabel('Idle watch seconds').fill('')
  await panel.getByRole('button', { name: 'Run checks' }).click()
  await expect(panel.getByRole('region', { name: 'Passed' })).toContainText('HTTP status', {
    timeout: 15_000,
  })
  await expect(page.getByRole('alert')).toHaveCount(0)
})

test('through a real nginx, a failed check offers the fix for nginx first, saying the response names it', async ({
  page,
}) => {
  test.skip(!hasNginx, 'needs Debian nginx (.ci/run installs nginx-light)')
  await openApp(page)
  const nginx = await startNginx(await demoUrl(page), 'proxy_ignore_headers X-Accel-Buffering;')
  try {
    const panel = await openChecks(page, `${nginx.url}/probe?interval=20&size=100`)
    await panel.getByLabel('Observe for seconds').fill('2')
    await panel.getByRole('button', { name: 'Run checks' }).click()
    const failed = panel.getByRole('region', { name: 'Failed' })
    await expect(failed).toContainText('Events arrive as they are sent', { timeout: 20_000 })
    const fixes = failed
      .locator('details', { hasText: 'Events arrive as they are sent' })
      .locator('ul.fixes li')
    await expect(fixes.first()).toContainText(
      /^nginx \(in the path: server: nginx\/[\d.]+\): proxy_buffering off;/,
    )
    await expect(fixes.nth(1)).not.toContainText('in the path')
  } finally {
    await nginx.stop()
  }
})
