import type { TlsFacts } from '../../../shared/sse/fetch-like.ts'
import { plural } from '../../../shared/plural.ts'

const DAY_MS = 86_400_000
/** A certificate this close to its end is said to expire soon (Let's Encrypt renews at 30 days left). */
const SOON_DAYS = 14

/** When a certificate's validity ends, relative to now: "in 35 days", "tomorrow", "3 days ago". */
function validityLeft(validTo: string, nowMs: number): { text: string; level?: 'warn' | 'danger' } {
  const leftMs = Date.parse(validTo) - nowMs
  if (Number.isNaN(leftMs)) return { text: validTo }
  const days = Math.floor(Math.abs(leftMs) / DAY_MS)
  if (leftMs < 0)
    return { text: `expired ${days === 0 ? 'today' : `${plural(days, 'day')} ago`}`, level: 'danger' }
  return {
    text: days === 0 ? 'expires today' : `in ${plural(days, 'day')}`,
    level: days < SOON_DAYS ? 'warn' : undefined,
  }
}

/** The TLS a response came over: version, cipher, the server's certificate and whether it is trusted. */
export function TlsDetail({ tls }: { tls: TlsFacts }) {
  const certificate = tls.certificate
  const left = certificate && validityLeft(certificate.validTo, Date.now())
  return (
    <>
      <h3>TLS</h3>
      <dl aria-label="TLS">
        <dt>negotiated</dt>
        <dd>
          {tls.protocol}, {tls.cipher}
        </dd>
        {tls.untrustedBecause && (
          <>
            <dt>trust</dt>
            <dd className="level-danger">
              not trusted ({tls.untrustedBecause}): accepted because “Accept any TLS certificate” is on
            </dd>
          </>
        )}
        {certificate && (
          <>
            <dt>certificate</dt>
            <dd>{certificate.subject}</dd>
            <dt>issued by</dt>
            <dd>{certificate.issuer}</dd>
            {certificate.altNames && (
              <>
                <dt>names</dt>
                <dd>{certificate.altNames}</dd>
              </>
            )}
            <dt>valid</dt>
            <dd className={left?.level && `level-${left.level}`}>
              {certificate.validFrom.slice(0, 10)} to {certificate.validTo.slice(0, 10)} ({left?.text})
            </dd>
            <dt>SHA-256</dt>
            <dd className="fingerprint">{certificate.sha256}</dd>
          </>
        )}
      </dl>
    </>
  )
}
