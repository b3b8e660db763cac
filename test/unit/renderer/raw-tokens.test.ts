import { expect, test } from 'vitest'
import { rawTokens } from '../../../renderer/src/components/raw-text.tsx'

test('raw view: line endings and control characters become visible markers', () => {
  const shown = rawTokens('a\r\nb\rc\nd\te\u0000\u001b[0m\uFEFF')
    .map((t) => (t.isMarker ? `<${t.text}>` : t.text))
    .join('')
  expect(shown).toBe('a<\\r\\n\n>b<\\r\n>c<\\n\n>d<\\t>e<\\0><\\x1b>[0m<[BOM]>')
})
