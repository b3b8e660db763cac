import tokenize from 'ret'
import safeRegex from 'safe-regex2'

/** What a filter's text matches: a test, or why it matches nothing (a /regex/ that cannot be run). */
export type FilterPattern = { test: (text: string) => boolean; problem?: string }

export const NESTED_REPETITION =
  'a repetition inside a repetition, like (a+)+, can take exponential time on some rows and freeze the page: not applied. Rewrite it without the nesting, e.g. (a+)+ as a+'

/**
 * A filter's text as a test: plain text, case-insensitive; or `/pattern/flags`, a regular expression.
 * One whose repetitions nest (star height > 1, by safe-regex2) is refused: a backtracking engine can
 * take exponential time on a single row (/(x+x+)+y/ against 60 x's never ends), and the page would
 * freeze with no way back. Patterns its parser cannot read (lookbehind) are run as they are.
 */
export function filterPatternOf(text: string): FilterPattern {
  const regex = /^\/(.+)\/([a-z]*)$/.exec(text)
  if (!regex) {
    const needle = text.toLowerCase()
    return { test: (value) => value.toLowerCase().includes(needle) }
  }
  const [, source, flags] = regex as unknown as [string, string, string]
  let pattern: RegExp
  try {
    pattern = new RegExp(source, flags.replace('g', ''))
  } catch (error) {
    return { test: () => false, problem: (error as Error).message }
  }
  if (isReadable(source) && !safeRegex(source)) return { test: () => false, problem: NESTED_REPETITION }
  return { test: (value) => pattern.test(value) }
}

function isReadable(source: string): boolean {
  try {
    tokenize(source)
    return true
  } catch {
    return false
  }
}
