// Renders the app icon (renderer/public/icon.svg, also the page's favicon) to build/icon.png, the
// 1024 px PNG electron-builder makes every platform's icon from. Run after editing the SVG:
//   node build/render-icon.ts
import { readFileSync } from 'node:fs'
import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/support/chromium.ts'

const SIZE = 1024
const svg = readFileSync(new URL('../renderer/public/icon.svg', import.meta.url), 'utf8')
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE } })
  const sized = svg.replace('<svg ', `<svg width="${SIZE}" height="${SIZE}" `)
  await page.setContent(`<body style="margin:0;background:transparent">${sized}</body>`)
  await page.screenshot({ path: new URL('icon.png', import.meta.url).pathname, omitBackground: true })
} finally {
  await browser.close()
}
