import { plural } from '../../shared/plural.ts'
// The app and the tls check warn at the same number of days left.
import { CERTIFICATE_WARN_DAYS } from '../../shared/checks/tls-check.ts'

const DAY_MS = 86_400_000

/** When a certificate's validity ends, relative to now: "expires in 35 days", "expires today", "expired 3 days ago". */
export function validityLeft(validTo: string, nowMs: number): { text: string; level?: 'warn' | 'danger' } {
  const leftMs = Date.parse(validTo) - nowMs
  if (Number.isNaN(leftMs)) return { text: validTo }
  const days = Math.floor(Math.abs(leftMs) / DAY_MS)
  if (leftMs < 0)
    return { text: `expired ${days === 0 ? 'today' : `${plural(days, 'day')} ago`}`, level: 'danger' }
  return {
    text: days === 0 ? 'expires today' : `expires in ${plural(days, 'day')}`,
    level: days < CERTIFICATE_WARN_DAYS ? 'warn' : undefined,
  }
}
