/** A run of text, or a line ending / control character shown as its escape (ASCII: no font lacks it). */
export type RawToken = { text: string; isMarker: boolean }

/** Unicode's format characters (Cf): they take no room, or reorder the text around them. */
const FORMAT_CHAR = /^\p{Cf}$/u

/** Splits decoded wire text into plain runs and visible markers; a line ending also ends the display line. */
export function rawTokens(text: string): RawToken[] {
  const tokens: RawToken[] = []
  let run = ''
  const marker = (shown: string) => {
    if (run) tokens.push({ text: run, isMarker: false })
    run = ''
    tokens.push({ text: shown, isMarker: true })
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === '\r' && text[i + 1] === '\n') {
      marker('\\r\\n\n')
      i++
    } else if (c === '\r') marker('\\r\n')
    else if (c === '\n') marker('\\n\n')
    else if (c === '\t') marker('\\t')
    else if (c === '\0') marker('\\0')
    else if (c === '\uFEFF') marker('[BOM]')
    else if (c < ' ' || (c >= '\x7f' && c <= '\x9f'))
      marker(`\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    // Bidi controls would make the text read otherwise than it is; other invisible characters (a
    // zero-width space in an id) hide what the bytes hold. The joiners stay: emoji and scripts need them.
    else if (FORMAT_CHAR.test(c) && c !== '\u200c' && c !== '\u200d')
      marker(`\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    else run += c
  }
  if (run) tokens.push({ text: run, isMarker: false })
  return tokens
}

/**
 * Markers drawn as elements of their own (coloured): past these, the rest of the text is one plain
 * string with its markers in it. A frame of 100 000 lines shown whole made 200 000 nodes: 30 s.
 */
const MAX_MARKER_ELEMENTS = 5000

/** Wire text with its line endings and control characters made visible. */
export function RawText({ text }: { text: string }) {
  const tokens = rawTokens(text)
  let markers = 0
  const cut = tokens.findIndex((token) => token.isMarker && ++markers > MAX_MARKER_ELEMENTS)
  const styled = cut === -1 ? tokens : tokens.slice(0, cut)
  return (
    <>
      {styled.map((token, i) =>
        token.isMarker ? (
          <span key={i} className="eol">
            {token.text}
          </span>
        ) : (
          token.text
        ),
      )}
      {cut !== -1 &&
        tokens
          .slice(cut)
          .map((token) => token.text)
          .join('')}
    </>
  )
}
