import type { TlsFacts } from '../../../shared/sse/fetch-like.ts'
import { validityLeft } from '../certificate-validity.ts'

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
