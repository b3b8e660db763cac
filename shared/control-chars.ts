/* eslint-disable no-control-regex -- matching control characters is the point of this module */

// C0 controls (but tab, and line feed unless kept), DEL, C1 controls, and the bidi embeddings,
// overrides and isolates that make text read otherwise than it is.
const WITH_NEWLINES = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g
const BUT_NEWLINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

/**
 * The characters that must not reach a screen as they are. One definition for the terminal (written
 * as escapes) and the app (shown as pictures). A fresh copy: global patterns carry a position.
 */
export function controlChars(options: { keepsNewlines?: boolean } = {}): RegExp {
  return new RegExp(options.keepsNewlines ? BUT_NEWLINES : WITH_NEWLINES)
}

/**
 * The text with every character that takes no room (zero-width space, joiners, direction marks, soft
 * hyphen…: Unicode's Cf) as a `\uXXXX` escape: for ids, which must be read back exactly (an id
 * "\u200b42" shows as "42", and "42" sent back is another id).
 */
export function withInvisibleEscaped(text: string): string {
  return text.replace(/\p{Cf}/gu, (char) => `\\u${char.codePointAt(0)!.toString(16).padStart(4, '0')}`)
}
