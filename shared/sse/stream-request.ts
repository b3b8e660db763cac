/** A header as sent or received: name and value, order and duplicates preserved. */
export type HeaderEntry = readonly [name: string, value: string]

/** How the engine reconnects; the default follows the HTML spec (constant delay, forever). */
export type ReconnectPolicy = {
  /** false: never reconnect, the stream ends with the first close. */
  isEnabled: boolean
  /** Total reconnects allowed over the stream's life; undefined means unlimited. */
  maxAttempts?: number
  /** Delay before the first reconnect until the server sends `retry:` (spec: implementation-defined). */
  initialRetryMs?: number
  /** Off by default: the spec's delay is constant. When on, the delay doubles per consecutive failure. */
  backoff?: { maxMs: number; hasJitter: boolean }
  /**
   * Send the cookies the responses set (Set-Cookie) on the reconnects, as a browser's EventSource does on
   * its own origin. Off by default: the requests carry what was asked for, no more.
   */
  isKeepingCookies?: boolean
  /**
   * Off by default: EventSource fails for good on any status but 200. On, a transient one (408, 429,
   * 500, 502, 503, 504) is asked again like a dropped connection, after its Retry-After if it sends one.
   */
  isRetryingHttpErrors?: boolean
}

/** Network options the Node transport honours; the browser face cannot apply them. */
export type TransportOptions = {
  /** http://[user:pass@]host:port of an HTTP proxy. */
  proxyUrl?: string
  /** Hosts that skip the environment's proxy, as no_proxy/curl --noproxy write them ("*": all). */
  noProxy?: string
  /** Force a CONNECT tunnel for http:// targets too (https:// always tunnels). */
  isProxyTunnel?: boolean
  /** Accept any TLS certificate (self-signed, expired, wrong host). */
  isInsecureTls?: boolean
  /** PEM file of extra trusted CAs. */
  caFile?: string
  /** PEM file of a client certificate for mutual TLS (it may hold the private key too). */
  certFile?: string
  /** PEM file of the client certificate's private key, when certFile does not hold it. */
  keyFile?: string
  /** Passphrase of an encrypted client key: a secret, redacted wherever the request is kept or shown. */
  keyPassphrase?: string
  /**
   * curl's --resolve entries, `HOST:PORT:ADDRESS`: connect to ADDRESS when the URL names HOST:PORT,
   * keeping HOST for the Host header and TLS. Direct connections only (a proxy resolves names itself).
   */
  resolve?: readonly string[]
  /** Offer HTTP/2 via ALPN on https:// (default true). */
  isHttp2Allowed?: boolean
  /** Time to establish the connection (TCP and TLS) before giving up (default 10 s; 0: no limit). */
  connectTimeoutMs?: number
  /** Time from sending the request until the response head arrives (default 300 s; 0: no limit). */
  firstByteTimeoutMs?: number
}

/** Everything needed to open one SSE stream. Plain data: it crosses IPC and lands in recordings. */
export type StreamRequest = {
  url: string
  /** Default GET. */
  method?: string
  headers?: readonly HeaderEntry[]
  body?: string
  /** The last event ID string to start with: sent as Last-Event-ID on the first request. */
  lastEventId?: string
  reconnect?: ReconnectPolicy
  /** A line or event larger than this fails the connection (default 16 MiB). */
  maxEventBytes?: number
  transport?: TransportOptions
}

/** A dead host should fail fast; a slow one gets ten seconds, as browsers roughly allow. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000
/** Some endpoints answer only once they have a first event: allow them minutes, as undici does. */
export const DEFAULT_FIRST_BYTE_TIMEOUT_MS = 300_000

/** 16 MiB: large enough for any sane event, small enough that a hostile stream cannot exhaust memory. */
export const DEFAULT_MAX_EVENT_BYTES = 16 * 1024 * 1024
/** [spec] "a user-agent-defined value, probably in the region of a few seconds". */
export const DEFAULT_RETRY_MS = 3000
