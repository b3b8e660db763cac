// What a recording's lines must hold to be read as records: a file is untrusted input (damaged on disk,
// edited by hand, written by something else), and a record whose fields have the wrong types would
// reach code that trusts them (a HAR export mapping `headers`, the viewer formatting `status`).

/** A test of one field's value. */
type Check = (value: unknown) => boolean

const isString: Check = (value) => typeof value === 'string'
const isNumber: Check = (value) => typeof value === 'number' && Number.isFinite(value)
const isBoolean: Check = (value) => typeof value === 'boolean'
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const optional =
  (check: Check): Check =>
  (value) =>
    value === undefined || check(value)
const listOf =
  (check: Check): Check =>
  (value) =>
    Array.isArray(value) && value.every(check)
const shaped = (shape: Record<string, Check>): Check => {
  const fields = Object.entries(shape)
  return (value) => isPlainObject(value) && fields.every(([field, check]) => check(value[field]))
}

const isHeaderEntry: Check = (value) =>
  Array.isArray(value) && value.length === 2 && isString(value[0]) && isString(value[1])
const isHeaderList = listOf(isHeaderEntry)

/** A moment a Date can hold (±8.64e15 ms): records' times are formatted as dates. */
const isTime: Check = (value) => isNumber(value) && Math.abs(value as number) <= 8.64e15
const BASE = { seq: isNumber, atMs: isTime, attempt: isNumber }
const hasBase = shaped(BASE)

const isRedirect = shaped({
  status: isNumber,
  url: isString,
  location: isString,
  setCookies: optional(listOf(isString)),
})
const isConnectionSetup = shaped({
  isReused: isBoolean,
  dnsMs: optional(isNumber),
  tcpMs: optional(isNumber),
  tlsMs: optional(isNumber),
})
const isTlsFacts = shaped({
  protocol: isString,
  cipher: isString,
  untrustedBecause: optional(isString),
  certificate: optional(
    shaped({
      subject: isString,
      issuer: isString,
      validFrom: isString,
      validTo: isString,
      altNames: optional(isString),
      sha256: isString,
    }),
  ),
})

/** The fields each stored kind's line holds (a chunk's bytes follow its line; `size` is checked there). */
const STORED_SHAPES = new Map<string, Check>(
  Object.entries({
    request: shaped({ ...BASE, method: isString, url: isString, headers: isHeaderList, hasBody: isBoolean }),
    open: shaped({
      ...BASE,
      status: isNumber,
      statusText: isString,
      headers: isHeaderList,
      httpVersion: isString,
      url: isString,
      isRedirected: isBoolean,
      redirects: optional(listOf(isRedirect)),
      timeToHeadersMs: isNumber,
      proxy: optional(isString),
      remoteAddress: optional(isString),
      connectionSetup: optional(isConnectionSetup),
      tls: optional(isTlsFacts),
    }),
    chunk: shaped({ ...BASE, startByte: isNumber }),
    reconnect: shaped({ ...BASE, reconnectAttempt: isNumber, delayMs: isNumber, lastEventId: isString }),
    close: shaped({ ...BASE, cause: isString, willReconnect: isBoolean, message: isString }),
    error: shaped({ ...BASE, code: isString, message: isString }),
    annotation: shaped({ ...BASE, text: isString }),
  }),
)

/**
 * Whether a stored record's line (parsed JSON, a chunk's without its bytes) has the fields its kind needs,
 * of the right types. A kind this version does not know is judged by the fields every record has.
 */
export function hasStoredShape(value: unknown): boolean {
  if (!isPlainObject(value) || typeof value.kind !== 'string') return false
  return (STORED_SHAPES.get(value.kind) ?? hasBase)(value)
}

const isRecordedRequest = shaped({
  url: isString,
  method: optional(isString),
  headers: optional(isHeaderList),
  body: optional(isString),
  lastEventId: optional(isString),
  maxEventBytes: optional(isNumber),
  reconnect: optional(
    shaped({
      isEnabled: optional(isBoolean),
      maxAttempts: optional(isNumber),
      initialRetryMs: optional(isNumber),
      backoff: optional(shaped({ maxMs: isNumber, hasJitter: isBoolean })),
    }),
  ),
  transport: optional(
    shaped({
      proxyUrl: optional(isString),
      noProxy: optional(isString),
      caFile: optional(isString),
      certFile: optional(isString),
      keyFile: optional(isString),
      keyPassphrase: optional(isString),
      resolve: optional(listOf(isString)),
      connectTimeoutMs: optional(isNumber),
      firstByteTimeoutMs: optional(isNumber),
    }),
  ),
})

const isRecordingHeader = shaped({
  createdAtMs: isTime,
  request: isRecordedRequest,
  meta: optional(isPlainObject),
})

/** Whether a recording header's fields have the types the app's code relies on. */
export function hasHeaderShape(value: unknown): boolean {
  return isRecordingHeader(value)
}
