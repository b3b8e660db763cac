import type { TlsFacts } from '../../shared/sse/fetch-like.ts'

type PeerCertificate = {
  subject?: Record<string, string | string[]>
  issuer?: Record<string, string | string[]>
  valid_from?: string
  valid_to?: string
  subjectaltname?: string
  fingerprint256?: string
}
type TlsSocketLike = {
  getProtocol?: () => string | null
  getCipher?: () => { name?: string } | undefined
  getPeerCertificate?: () => PeerCertificate | undefined
  authorized?: boolean
  authorizationError?: Error | string | null
}

/**
 * What a connected TLS socket negotiated and the certificate it was shown; undefined for plain TCP, or
 * if the socket cannot tell (it is asked as undici hands it over: nothing here may fail a connection).
 */
export function tlsFactsOf(socket: object): TlsFacts | undefined {
  try {
    return readTlsFacts(socket as TlsSocketLike)
  } catch {
    return undefined
  }
}

function readTlsFacts(tls: TlsSocketLike): TlsFacts | undefined {
  if (typeof tls.getPeerCertificate !== 'function') return undefined
  const certificate = tls.getPeerCertificate()
  const error = tls.authorizationError
  return {
    protocol: tls.getProtocol?.() ?? 'unknown',
    cipher: tls.getCipher?.()?.name ?? 'unknown',
    // Only with "accept any certificate" does a connection go on after this.
    ...(tls.authorized === false && error ? { untrustedBecause: String(error) } : {}),
    ...(certificate && certificate.fingerprint256
      ? {
          certificate: {
            subject: distinguishedName(certificate.subject),
            issuer: distinguishedName(certificate.issuer),
            validFrom: isoDate(certificate.valid_from),
            validTo: isoDate(certificate.valid_to),
            ...(certificate.subjectaltname ? { altNames: certificate.subjectaltname } : {}),
            sha256: certificate.fingerprint256,
          },
        }
      : {}),
  }
}

/** "CN=example.com, O=Example" from Node's object form (a repeated attribute comes as an array). */
function distinguishedName(name: Record<string, string | string[]> | undefined): string {
  return Object.entries(name ?? {})
    .flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${key}=${v}`))
    .join(', ')
}

/** OpenSSL's "Nov  2 06:23:33 2126 GMT" as ISO 8601 (as given if it does not parse). */
function isoDate(text: string | undefined): string {
  const ms = Date.parse(text ?? '')
  return Number.isNaN(ms) ? (text ?? '') : new Date(ms).toISOString()
}
