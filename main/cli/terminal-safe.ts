import { controlChars, withInvisibleEscaped } from '../../shared/control-chars.ts'

// What a stream sends must not drive the terminal: an ESC in event data could recolour the screen,
// rewrite earlier lines, set the window title or (in some terminals) the clipboard, and bidi overrides
// can make text read differently from what it is. Shown text gets such characters as visible escapes.

const escaped = (char: string): string => {
  const code = char.charCodeAt(0)
  if (char === '\r') return '\\r'
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`
}

/** The text with every character that could steer a terminal written as an escape (`\x1b`, `\r`). */
export function terminalSafe(text: string, options: { keepsNewlines?: boolean } = {}): string {
  return text.replace(controlChars(options), escaped)
}

/** An id safe to print and exact to read back: invisible characters escaped too (`\u200b`). */
export function terminalSafeId(id: string): string {
  return withInvisibleEscaped(terminalSafe(id))
}

/** A check finding whose words and evidence (header values, a body's first bytes) are safe to print. */
export function terminalSafeFinding<
  F extends { explanation: string; evidence: Record<string, unknown>; fixes: { hint: string }[] },
>(finding: F): F {
  const evidence = Object.fromEntries(
    Object.entries(finding.evidence).map(([key, value]) => [
      key,
      typeof value === 'string' ? terminalSafe(value) : value,
    ]),
  )
  return {
    ...finding,
    explanation: terminalSafe(finding.explanation),
    evidence,
    fixes: finding.fixes.map((fix) => ({ ...fix, hint: terminalSafe(fix.hint) })),
  }
}
