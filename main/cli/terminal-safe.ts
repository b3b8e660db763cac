// What a stream sends must not drive the terminal: an ESC in event data could recolour the screen,
// rewrite earlier lines, set the window title or (in some terminals) the clipboard, and bidi overrides
// can make text read differently from what it is. Shown text gets such characters as visible escapes.

// C0 controls but tab and line feed, DEL, C1 controls, and the bidi embedding/override/isolate marks.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g
// eslint-disable-next-line no-control-regex
const UNSAFE_OR_LF = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

const escaped = (char: string): string => {
  const code = char.charCodeAt(0)
  if (char === '\r') return '\\r'
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`
}

/** The text with every character that could steer a terminal written as an escape (`\x1b`, `\r`). */
export function terminalSafe(text: string, options: { keepsNewlines?: boolean } = {}): string {
  const unsafe = options.keepsNewlines ? UNSAFE : UNSAFE_OR_LF
  unsafe.lastIndex = 0
  return unsafe.test(text) ? text.replace(unsafe, escaped) : text
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
