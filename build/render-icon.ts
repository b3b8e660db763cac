// Renders the app icon (renderer/public/icon.svg, also the page's favicon) to PNGs: build/icon.png, the
// 1024 px image electron-builder makes every platform's icon from, and renderer/public/icon.png (256 px),
// the desktop window's icon (Electron takes no SVG there). Run after editing the SVG:
//   node build/render-icon.ts
import { readFileSync } from 'node:fs'
import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/support/chromium.ts'

const svg = readFileSync(new URL('../renderer/public/icon.svg', import.meta.url), 'utf8')
const outputs = [
  { size: 1024, file: new URL('icon.png', import.meta.url) },
  { size: 256, file: new URL('../renderer/public/icon.png', import.meta.url) },
]
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
try {
  for (const { size, file } of outputs) {
    const page = await browser.newPage({ viewport: { width: size, height: size } })
    const sized = svg.replace('<svg ', `<svg width="${size}" height="${size}" `)
    await page.setContent(`<body style="margin:0;background:transparent">${sized}</body>`)
    await page.screenshot({ path: file.pathname, omitBackground: true })
    await page.close()
  }
} finally {
  await browser.close()
}
