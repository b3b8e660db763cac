import { expect, test } from 'vitest'
import { rawTokens } from '../../../renderer/src/components/raw-text.tsx'

test('raw view: line endings and control characters become visible markers', () => {
  const shown = rawTokens('a\r\nb\rc\nd\te\u0000\u001b[0m\uFEFF')
    .map((t) => (t.isMarker ? `<${t.text}>` : t.text))
    .join('')
  expect(shown).toBe('a<\\r\\n\n>b<\\r\n>c<\\n\n>d<\\t>e<\\0><\\x1b>[0m<[BOM]>')
})

test('raw view: C1 controls and bidi overrides are markers too (text reads as it is)', () => {
  const shown = rawTokens('a\u009b31mb\u202eevil\u2066c')
    .map((t) => (t.isMarker ? `<${t.text}>` : t.text))
    .join('')
  expect(shown).toBe('a<\\x9b>31mb<\\u202e>evil<\\u2066>c')
})

test('raw view: invisible characters (a zero-width space, a soft hyphen) are markers; emoji joiners stay', () => {
  const shown = rawTokens('id: \u200b42\u00ad\u2060 👨\u200d👩 \u200c')
    .map((t) => (t.isMarker ? `<${t.text}>` : t.text))
    .join('')
  expect(shown).toBe('id: <\\u200b>42<\\u00ad><\\u2060> 👨\u200d👩 \u200c')
})
