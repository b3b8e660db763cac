import { plural } from '../../shared/plural.ts'

const DAY_MS = 86_400_000
/** A certificate this close to its end is said to expire soon (Let's Encrypt renews at 30 days left). */
const SOON_DAYS = 14

/** When a certificate's validity ends, relative to now: "expires in 35 days", "expires today", "expired 3 days ago". */
export function validityLeft(validTo: string, nowMs: number): { text: string; level?: 'warn' | 'danger' } {
  const leftMs = Date.parse(validTo) - nowMs
  if (Number.isNaN(leftMs)) return { text: validTo }
  const days = Math.floor(Math.abs(leftMs) / DAY_MS)
  if (leftMs < 0)
    return { text: `expired ${days === 0 ? 'today' : `${plural(days, 'day')} ago`}`, level: 'danger' }
  return {
    text: days === 0 ? 'expires today' : `expires in ${plural(days, 'day')}`,
    level: days < SOON_DAYS ? 'warn' : undefined,
  }
}
