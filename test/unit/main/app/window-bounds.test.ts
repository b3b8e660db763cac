import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { loadWindowBounds, saveWindowBounds } from '../../../../main/app/window-bounds.ts'

const fallback = { width: 1280, height: 820 }

test('window bounds: saved bounds come back; missing or damaged files give the default', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bounds-'))
  const file = join(dir, 'window-bounds.json')
  expect(loadWindowBounds(file, fallback)).toEqual(fallback)
  saveWindowBounds(file, { x: 10, y: 20, width: 1000, height: 700 })
  expect(loadWindowBounds(file, fallback)).toEqual({ x: 10, y: 20, width: 1000, height: 700 })
  writeFileSync(file, '{"width": 1000, "hei')
  expect(loadWindowBounds(file, fallback)).toEqual(fallback)
  writeFileSync(file, JSON.stringify({ width: 5, height: 1e9 }))
  expect(loadWindowBounds(file, fallback)).toEqual(fallback)
})

test('window bounds: a position on no display (its monitor unplugged) is dropped, the size kept', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'bounds-')), 'window-bounds.json')
  const laptop = [{ x: 0, y: 0, width: 1440, height: 900 }]
  saveWindowBounds(file, { x: 2200, y: 100, width: 1000, height: 700 }) // on the second monitor
  expect(loadWindowBounds(file, fallback, laptop)).toEqual({ width: 1000, height: 700 })
  expect(loadWindowBounds(file, fallback, [...laptop, { x: 1440, y: 0, width: 1920, height: 1080 }])).toEqual(
    {
      x: 2200,
      y: 100,
      width: 1000,
      height: 700,
    },
  )
  // Partly off screen is kept while its top strip can still be grabbed; above the screen it cannot.
  saveWindowBounds(file, { x: -900, y: 50, width: 1000, height: 700 })
  expect(loadWindowBounds(file, fallback, laptop)).toMatchObject({ x: -900, y: 50 })
  saveWindowBounds(file, { x: 100, y: -600, width: 1000, height: 700 })
  expect(loadWindowBounds(file, fallback, laptop)).toEqual({ width: 1000, height: 700 })
})
