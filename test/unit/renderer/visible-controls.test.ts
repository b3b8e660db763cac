import { expect, test } from 'vitest'
import { visibleControls, visibleId } from '../../../renderer/src/format.ts'

test('list previews: controls show as pictures or escapes; bidi marks cannot reorder the row', () => {
  expect(visibleControls('a\x1b[2Jb\x07\x7f\u009b1m \u202eevil\u2066 tab\tok ✓')).toBe(
    'a␛[2Jb␇␡\\x9b1m \\u202eevil\\u2066 tab\tok ✓',
  )
  expect(visibleControls('plain text')).toBe('plain text')
})

test('data text: line feeds kept (multi-line data), the rest made visible', () => {
  expect(visibleControls('line one\nline \x1b[1mtwo', { keepsNewlines: true })).toBe('line one\nline ␛[1mtwo')
})

test('ids: every invisible character is an escape, so an id reads as it must be sent back', () => {
  expect(visibleId('\u200b42')).toBe('\\u200b42')
  expect(visibleId('a\u200db\ufeffc\u00add\u{e0041}')).toBe('a\\u200db\\ufeffc\\u00add\\ue0041')
  expect(visibleId('\u202e7\x1b')).toBe('\\u202e7␛')
  expect(visibleId('plain-42')).toBe('plain-42')
})
