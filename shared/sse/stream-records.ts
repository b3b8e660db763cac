import type { ConnectionSetup, TlsFacts } from './fetch-like.ts'
import type { HeaderEntry } from './stream-request.ts'

/** Fields every record carries: a per-stream sequence number, arrival time and connection attempt. */
export type RecordBase = {
  /** Monotonic per stream, across reconnects. */
  seq: number
  /** Wall-clock arrival time in ms since the epoch, fractional. */
  atMs: number
  /** 0 for the first connection, then 1, 2… per reconnect. */
  attempt: number
}

/** The bytes of the body covered by a record: offsets count from the start of this attempt's body. */
export type ByteRange = {
  startByte: number
  endByte: number
  firstChunkSeq: number
  lastChunkSeq: number
}

export type RequestRecord = RecordBase & {
  kind: 'request'
  method: string
  url: string
  headers: readonly HeaderEntry[]
  hasBody: boolean
}

export type RedirectRecord = { status: number; url: string; location: string; setCookies?: readonly string[] }

export type OpenRecord = RecordBase & {
  kind: 'open'
  status: number
  statusText: string
  headers: readonly HeaderEntry[]
  httpVersion: string
  /** The final URL after redirects. */
  url: string
  isRedirected: boolean
  /**
   * The redirects followed on the way here, in order: status, the URL redirected, its Location, and the
   * cookies it set (a login's session, a load balancer's affinity), which the stream's later requests need.
   */
  redirects?: readonly RedirectRecord[]
  timeToHeadersMs: number
  /** The HTTP proxy the request went through (without credentials), if any. */
  proxy?: string
  /** The address the connection went to, `IP:port` (`[IPv6]:port`); absent through a proxy. */
  remoteAddress?: string
  /**
   * DNS, TCP and TLS times of the connection made for this request (part of timeToHeadersMs), or that it
   * went on a kept-alive one; absent through a proxy and where the transport cannot tell.
   */
  connectionSetup?: ConnectionSetup
  /** The TLS version, cipher and certificate of its connection (https://, direct connections). */
  tls?: TlsFacts
}

export type ChunkRecord = RecordBase & {
  kind: 'chunk'
  bytes: Uint8Array
  /** Offset of the first byte within this attempt's body. */
  startByte: number
}

export type EventRecord = RecordBase &
  ByteRange & {
    kind: 'event'
    /** "message" when the stream named no type. */
    type: string
    data: string
    /** The id field of this event's block, if it had one. */
    id?: string
    /** [spec] the event source's "last event ID string" at dispatch. */
    lastEventId: string
  }

export type RetryRecord = RecordBase & ByteRange & { kind: 'retry'; ms: number }

export type CommentRecord = RecordBase & ByteRange & { kind: 'comment'; text: string }

export type WarningCode =
  | 'bom'
  | 'invalid-retry'
  | 'unknown-field'
  | 'nul-in-id'
  | 'discarded-at-eof'
  | 'cr-line-endings'
  /** Reconnecting in a tight loop: the server ends each response at once and asks for no delay. */
  | 'reconnect-storm'
  | 'invalid-utf8'

export type WarningRecord = RecordBase &
  Partial<ByteRange> & { kind: 'warning'; code: WarningCode; message: string }

export type ReconnectRecord = RecordBase & {
  kind: 'reconnect'
  /** 1 for the first reconnect. */
  reconnectAttempt: number
  delayMs: number
  /** The Last-Event-ID the next request will send ('' sends none). */
  lastEventId: string
}

export type CloseCause =
  | 'eof'
  | 'aborted'
  | 'no-content'
  | 'http-status'
  | 'content-type'
  | 'network'
  | 'too-large'
  /** The request cannot be sent as asked (a header the client manages, a body on GET…): never retried. */
  | 'request'

export type CloseRecord = RecordBase & {
  kind: 'close'
  cause: CloseCause
  willReconnect: boolean
  message: string
}

export type ErrorCode =
  'connect' | 'network' | 'http-status' | 'content-type' | 'too-large' | 'timeout' | 'request'

export type ErrorRecord = RecordBase & { kind: 'error'; code: ErrorCode; message: string }

/** Everything the engine reports about one stream, in arrival order. */
export type StreamRecord =
  | RequestRecord
  | OpenRecord
  | ChunkRecord
  | EventRecord
  | RetryRecord
  | CommentRecord
  | WarningRecord
  | ReconnectRecord
  | CloseRecord
  | ErrorRecord

export type RecordKind = StreamRecord['kind']

/** A record before the stream stamps its sequence number, time and attempt. */
export type UnstampedRecord = StreamRecord extends infer R
  ? R extends StreamRecord
    ? Omit<R, keyof RecordBase>
    : never
  : never

/** Causes that end a stream as a failure rather than a normal stop. */
export function isFailureCause(cause: CloseCause): boolean {
  return cause !== 'eof' && cause !== 'aborted' && cause !== 'no-content'
}

/** Whether a record ends its stream for good: a close after which no reconnect follows. */
export function isFinalClose(record: { kind: string; willReconnect?: boolean }): record is CloseRecord {
  return record.kind === 'close' && !record.willReconnect
}
