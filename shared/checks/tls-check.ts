import { recordsOf, round, type CheckRun } from './check-run.ts'
import type { Finding } from './finding.ts'
import { openOf } from './header-checks.ts'

const DAY_MS = 86_400_000
/** A certificate with fewer days left warns: time to renew before every client refuses the stream. */
export const CERTIFICATE_WARN_DAYS = 14

const TRUSTED_CERTIFICATE_FIXES: Finding['fixes'] = [
  {
    target: 'server',
    hint: "Serve a certificate from a CA the clients trust (Let's Encrypt: certbot), with its intermediate chain (nginx: ssl_certificate fullchain.pem)",
  },
  {
    target: 'clients',
    hint: "For a private CA, give the clients its certificate (sse-inspector --cacert FILE; Node: NODE_EXTRA_CA_CERTS; a browser: the system's trust store)",
  },
]
const RENEW_FIXES: Finding['fixes'] = [
  {
    target: 'server',
    hint: 'Renew the certificate and automate it (certbot renew from a timer renews at 30 days left)',
  },
]

/**
 * Whether the stream's TLS would let every client in: a certificate browsers trust, not about to
 * expire. Judged at the observation's time (the response's arrival), so the verdict is the run's.
 */
export function tlsCheck(run: CheckRun): Finding {
  const base = { id: 'tls', title: 'TLS certificate is trusted and not about to expire' } as const
  const open = openOf(run)
  if (!(open?.url ?? run.url).startsWith('https:'))
    return {
      ...base,
      status: 'skip',
      evidence: {},
      explanation: 'Plain http://: there is no TLS to check.',
      fixes: [],
    }
  if (!open) {
    const error = recordsOf(run.records, 'error')[0]
    // The transport names a certificate it refused in its message ("the server's certificate …").
    if (error && /certificate/i.test(error.message)) {
      const isExpired = /expired/.test(error.message)
      return {
        ...base,
        status: 'fail',
        evidence: { error: error.message },
        explanation: `The TLS handshake failed: ${error.message}. Clients refuse the stream as this run did.`,
        fixes: isExpired ? RENEW_FIXES : TRUSTED_CERTIFICATE_FIXES,
      }
    }
    return {
      ...base,
      status: 'skip',
      evidence: {},
      explanation: 'No response: the status check says why.',
      fixes: [],
    }
  }
  const tls = open.tls
  if (!tls)
    return {
      ...base,
      status: 'skip',
      evidence: {},
      explanation: open.proxy
        ? "Through a proxy the TLS connection runs inside the proxy's tunnel, where this run does not look: its certificate was not seen."
        : 'The transport did not say what TLS the connection negotiated.',
      fixes: [],
    }
  const certificate = tls.certificate
  const validToMs = certificate ? Date.parse(certificate.validTo) : NaN
  const daysLeft = Number.isNaN(validToMs) ? null : round((validToMs - open.atMs) / DAY_MS, 1)
  const evidence = {
    protocol: tls.protocol,
    cipher: tls.cipher,
    subject: certificate?.subject ?? null,
    issuer: certificate?.issuer ?? null,
    validTo: certificate?.validTo ?? null,
    daysLeft,
    untrustedBecause: tls.untrustedBecause ?? null,
  }
  // A warning, not a failure: the run was told to accept any certificate (a staging one, say).
  if (tls.untrustedBecause)
    return {
      ...base,
      status: 'warn',
      evidence,
      explanation: `The certificate is not trusted (${tls.untrustedBecause}): it was accepted only because this run accepts any certificate; browsers and other clients refuse the stream.`,
      fixes: TRUSTED_CERTIFICATE_FIXES,
    }
  if (daysLeft !== null && daysLeft < CERTIFICATE_WARN_DAYS)
    return {
      ...base,
      status: 'warn',
      evidence,
      explanation: `The certificate expires in ${daysLeft} days (${certificate!.validTo.slice(0, 10)}): once it has, every client refuses the stream.`,
      fixes: RENEW_FIXES,
    }
  return {
    ...base,
    status: 'pass',
    evidence,
    explanation: `${tls.protocol} with a trusted certificate${daysLeft !== null ? `, valid ${Math.floor(daysLeft)} more days` : ''}.`,
    fixes: [],
  }
}
