import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { connectTo, demoUrl, openApp } from './helpers.ts'
import { startTlsSseServer } from '../support/tls-server.ts'

/** axe-core's audit of the page as it stands: every rule it has (contrast, roles, names, landmarks). */
async function expectAccessible(page: Page, where: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze()
  const found = violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  )
  expect(found, `${where}: accessibility violations`).toEqual([])
}

for (const theme of ['light', 'dark'] as const) {
  test(`accessibility (${theme}): every view passes an axe audit — contrast, roles, names, landmarks, keyboard reach`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme: theme })
    await openApp(page)
    const demo = await demoUrl(page)
    await expect(page.getByRole('region', { name: 'Examples' })).toBeVisible()
    await expectAccessible(page, 'the first screen')
    await page.keyboard.press('?')
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible()
    await expectAccessible(page, 'the shortcuts dialog')
    await page.keyboard.press('Escape')

    await connectTo(page, `${demo}/ticker?interval=50&count=12`)
    const events = page.getByRole('grid', { name: 'Events' })
    await events.getByRole('row').filter({ hasText: '"seq":3,' }).click()
    for (const tab of ['Detail', 'Assembled', 'Statistics', 'Raw bytes']) {
      await page.getByRole('tab', { name: tab }).click()
      await expectAccessible(page, `the ${tab} pane`)
    }
    // Selected rows keep their colours' contrast on the selection's background (a retry's amber type).
    await page.getByRole('tab', { name: 'Detail' }).click()
    await events
      .getByRole('row')
      .filter({ hasText: /^\d+\s*\S+\s*\S+\s*retry/ })
      .first()
      .click()
    await expectAccessible(page, 'a selected retry row')
    // A response row: its headers, timing waterfall and (over TLS let through by -k) its TLS in red.
    const tlsServer = await startTlsSseServer()
    try {
      await page.getByRole('button', { name: 'Options' }).click()
      await page.getByLabel('Accept any TLS certificate').check()
      await page.getByRole('button', { name: 'Hide options' }).click()
      await page.getByRole('button', { name: '+ New' }).click()
      await connectTo(page, tlsServer.url)
      await events
        .getByRole('row')
        .filter({ hasText: /^\d+\s*\S+\s*\S+\s*open/ })
        .first()
        .click()
      await expect(page.getByLabel('TLS', { exact: true })).toContainText('not trusted')
      await expectAccessible(page, 'a response over TLS')
    } finally {
      await tlsServer.close()
    }
    await page.getByRole('button', { name: 'Options' }).click()
    await page.getByLabel('Filter', { exact: true }).fill('/(a+)+/') // refused, with its note
    await expectAccessible(page, 'the request options and a refused filter')
    await page.getByRole('button', { name: 'Options' }).click()

    await page.getByRole('tab', { name: 'Library' }).click()
    await expect(page.getByRole('table', { name: 'Recordings' })).toBeVisible()
    await expectAccessible(page, 'the Library')
    await page.getByRole('tab', { name: '✓ Checks' }).click()
    const panel = page.getByRole('region', { name: 'Checks' })
    await page.getByLabel('URL', { exact: true }).fill(`${demo}/buffered?interval=50&flush=600`)
    await panel.getByLabel('Observe for seconds').fill('1.5')
    await panel.getByRole('button', { name: 'Run checks' }).click()
    // Done: the buffering fails or warns (by how the bursts fall in the time observed), the rest pass.
    await expect(panel.getByRole('region', { name: 'Passed' })).toBeVisible({ timeout: 20_000 })
    await expect(panel.getByRole('region', { name: /Failed|Warnings/ })).toBeVisible()
    await expectAccessible(page, 'the Checks results')
  })
}

for (const theme of ['light', 'dark'] as const) {
  test(`accessibility (${theme}): the Checks' first screen and a failure, a replay, the editor, a comparison and an error banner`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme: theme })
    await openApp(page)
    const demo = await demoUrl(page)
    await page.getByRole('tab', { name: '✓ Checks' }).click()
    const panel = page.getByRole('region', { name: 'Checks' })
    await expectAccessible(page, 'the Checks before a run')
    await page.getByLabel('URL', { exact: true }).fill(`${demo}/wrong-content-type`)
    await panel.getByLabel('Observe for seconds').fill('1')
    await panel.getByRole('button', { name: 'Run checks' }).click()
    await expect(panel.getByRole('region', { name: 'Failed' })).toContainText('text/plain', {
      timeout: 20_000,
    })
    await expectAccessible(page, 'a failed check with its evidence and fixes')

    // An error said in the banner.
    await page.getByRole('button', { name: '+ New' }).click()
    await page.getByLabel('URL', { exact: true }).fill('http://[::1')
    await page.getByRole('button', { name: 'Connect', exact: true }).click()
    await expect(page.getByRole('alert')).toBeVisible()
    await expectAccessible(page, 'an error banner')

    // Two recordings: a replay in the viewer, the editor, and their comparison.
    for (const count of [2, 3]) {
      await page.getByRole('button', { name: '+ New' }).click()
      await connectTo(page, `${demo}/ticker?interval=10&count=${count}&audit=1&retry=60000`)
      await expect(
        page.getByRole('grid', { name: 'Events' }).getByRole('row', { name: / tick / }),
      ).toHaveCount(count)
      await page.getByRole('button', { name: 'Disconnect' }).click()
    }
    await page.getByRole('tab', { name: 'Library' }).click()
    const library = page.getByRole('region', { name: 'Library' })
    const rows = library.getByRole('row').filter({ hasText: 'audit=1' })
    await rows.first().getByRole('button', { name: '▶ 1×' }).click()
    const replay = page.getByRole('group', { name: 'Replay' })
    await replay.getByRole('button', { name: /Pause/ }).click()
    await expectAccessible(page, 'a replay, paused')
    await page.getByRole('tab', { name: 'Library' }).click()
    await rows.first().getByRole('button', { name: 'Edit' }).click()
    await expect(library.getByRole('form', { name: /^Edit / })).toBeVisible()
    await expectAccessible(page, 'the recording editor')
    await rows.first().getByRole('button', { name: 'Edit' }).click()
    await rows.nth(0).getByRole('checkbox').check()
    await rows.nth(1).getByRole('checkbox').check()
    await library.getByRole('button', { name: 'Compare 2 selected' }).click()
    await expect(library.getByRole('region', { name: 'Comparison' })).toContainText('changed')
    await expectAccessible(page, 'a comparison')
  })
}
