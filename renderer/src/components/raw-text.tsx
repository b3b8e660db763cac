/** A run of text, or a line ending / control character shown as its escape (ASCII: no font lacks it). */
export type RawToken = { text: string; isMarker: boolean }

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
    // Bidi embeddings, overrides and isolates would make the text read otherwise than it is.
    else if ((c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069'))
      marker(`\\u${c.charCodeAt(0).toString(16)}`)
    else run += c
  }
  if (run) tokens.push({ text: run, isMarker: false })
  return tokens
}

/** Wire text with its line endings and control characters made visible. */
export function RawText({ text }: { text: string }) {
  return (
    <>
      {rawTokens(text).map((token, i) =>
        token.isMarker ? (
          <span key={i} className="eol">
            {token.text}
          </span>
        ) : (
          token.text
        ),
      )}
    </>
  )
}
