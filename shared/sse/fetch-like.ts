import type { HeaderEntry } from './stream-request.ts'

/** What the engine asks of a transport: one HTTP request. */
export type FetchInit = {
  method: string
  headers: readonly HeaderEntry[]
  body?: string
  signal: AbortSignal
  /**
   * Called at each redirect the transport follows, with the request it is about to send; returns that
   * request's headers (the stream's cookie jar adds a cookie the redirect set, as a browser would).
   */
  onRedirect?: (
    hop: RedirectHop,
    next: { url: string; headers: readonly HeaderEntry[] },
  ) => readonly HeaderEntry[]
}

/** A redirect followed on the way to the response: its status, where it was, where it pointed. */
export type RedirectHop = {
  status: number
  statusText: string
  url: string
  /** The Location header as sent (often relative). */
  location: string
  headers: readonly HeaderEntry[]
}

/**
 * How the connection that carried a response was set up, in ms: its DNS lookup (absent for an IP
 * address), TCP connect and TLS handshake (absent for http://); or that the request went on a
 * connection kept alive from an earlier one.
 */
export type ConnectionSetup = { isReused: boolean; dnsMs?: number; tcpMs?: number; tlsMs?: number }

/** What a TLS connection negotiated, and the certificate the server showed (as Node reports it). */
export type TlsFacts = {
  /** "TLSv1.3", "TLSv1.2"… */
  protocol: string
  /** The cipher suite's OpenSSL name. */
  cipher: string
  /** Why the certificate is not trusted (accepted anyway: "accept any certificate" is on). */
  untrustedBecause?: string
  certificate?: {
    /** "CN=example.com, O=Example" */
    subject: string
    issuer: string
    /** ISO 8601 */
    validFrom: string
    validTo: string
    /** "DNS:example.com, IP Address:10.0.0.5" */
    altNames?: string
    /** Colon-separated hex, as browsers show it. */
    sha256: string
  }
}

/** The response head and a body read chunk by chunk as the network delivers it. */
export type FetchResponse = {
  status: number
  statusText: string
  headers: readonly HeaderEntry[]
  /** Final URL after redirects. */
  url: string
  isRedirected: boolean
  /** The redirects followed, in order (none when the first response was the answer). */
  redirects?: readonly RedirectHop[]
  /** "1.1", "2"… as negotiated. */
  httpVersion: string
  /** The HTTP proxy the request went through (without credentials), if any. */
  proxyUrl?: string
  /** Where the connection went, `IP:port` (`[IPv6]:port`), when the transport knows (not through a proxy). */
  remoteAddress?: string
  /** How its connection was set up, when the transport knows (a direct connection, not a proxy's). */
  connectionSetup?: ConnectionSetup
  /** What its TLS connection negotiated, when the transport saw it (https://, not through a proxy). */
  tls?: TlsFacts
  body: AsyncIterable<Uint8Array> | null
  /** Stops reading the body and releases the connection. */
  cancel(): void
}

/** One HTTP request through whatever transport the host provides (undici in Node, fetch in a browser). */
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponse>

/** How a transport failure is classified; a transport attaches this to the errors it throws. */
export type TransportErrorCode = 'connect' | 'timeout' | 'request' | 'network'

/** An Error with the transport's classification; plain property so it survives any Error subclass. */
export type TransportError = Error & { transportCode?: TransportErrorCode }

/** Reads a one-line description and a classification from anything a transport threw. */
export function describeTransportError(error: unknown): { code: TransportErrorCode; message: string } {
  if (error instanceof Error) {
    const code = (error as TransportError).transportCode ?? 'network'
    const cause =
      error.cause instanceof Error && error.cause.message !== error.message ? `: ${error.cause.message}` : ''
    return { code, message: `${error.message}${cause}` }
  }
  return { code: 'network', message: String(error) }
}
