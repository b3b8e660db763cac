import { MAX_TIMER_SECONDS } from '../../shared/timer-limit.ts'

/** What a number field takes: its least value (and whether it may be that value), wholes only, its most. */
export type NumberRule = {
  min: number
  isMinAllowed?: boolean
  isWhole?: boolean
  max?: number
  maxText?: string
}

/** Seconds a timer can wait: setTimeout fires at once past 2^31−1 ms. */
export const MAX_SECONDS: Pick<NumberRule, 'max' | 'maxText'> = {
  max: MAX_TIMER_SECONDS,
  maxText: `${MAX_TIMER_SECONDS} (24 days)`,
}

/**
 * What is wrong with a number typed in a form field, or undefined when it is fine or empty (the field's
 * default): "5s" or "1.5" reconnects were taken as the default without a word.
 */
export function numberProblem(typed: string, rule: NumberRule): string | undefined {
  const text = typed.trim()
  if (text === '') return undefined
  const value = Number(text)
  if (!Number.isFinite(value)) return `"${text}" is not a number`
  if (rule.isWhole && !Number.isInteger(value)) return 'must be a whole number'
  if (rule.isMinAllowed === false ? value <= rule.min : value < rule.min)
    return rule.isMinAllowed === false ? `must be more than ${rule.min}` : `must be ${rule.min} or more`
  if (rule.max !== undefined && value > rule.max) return `must be at most ${rule.maxText ?? rule.max}`
  return undefined
}
