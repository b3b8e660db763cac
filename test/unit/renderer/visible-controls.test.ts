import { expect, test } from 'vitest'
import { visibleControls } from '../../../renderer/src/format.ts'

test('list previews: controls show as pictures or escapes; bidi marks cannot reorder the row', () => {
  expect(visibleControls('a\x1b[2Jb\x07\x7f\u009b1m \u202eevil\u2066 tab\tok ✓')).toBe(
    'a␛[2Jb␇␡\\x9b1m \\u202eevil\\u2066 tab\tok ✓',
  )
  expect(visibleControls('plain text')).toBe('plain text')
})

test('data text: line feeds kept (multi-line data), the rest made visible', () => {
  expect(visibleControls('line one\nline \x1b[1mtwo', { keepsNewlines: true })).toBe('line one\nline ␛[1mtwo')
})
