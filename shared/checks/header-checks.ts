import { redactUrl } from '../redact-headers.ts'
import { bodyPreview } from '../sse/body-preview.ts'
import { isCloseDelimited } from '../sse/close-delimited.ts'
import { headerValue, mediaTypeEssence } from '../sse/request-headers.ts'
import type { OpenRecord } from '../sse/stream-records.ts'
import { recordsOf, round, type CheckRun } from './check-run.ts'
import type { Finding } from './finding.ts'
import { redirectChain } from '../sse/redirect-chain.ts'

/** What a refused response's body said (its start, on one line), as the engine kept it; '' if nothing. */
function refusedBodyOf(run: CheckRun): string {
  return bodyPreview(recordsOf(run.records, 'chunk').map((chunk) => chunk.bytes))
}

/** The response that opened the observation (the last one if redirected). */
export function openOf(run: CheckRun): OpenRecord | undefined {
  return recordsOf(run.records, 'open').at(-1)
}

const SET_SSE_HEADERS = [
  {
    target: 'Node/Express',
    hint: "res.writeHead(200, {'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-transform'})",
  },
  {
    target: 'Python ASGI',
    hint: "StreamingResponse(gen(), media_type='text/event-stream', headers={'Cache-Control': 'no-cache'})",
  },
  {
    target: 'Go',
    hint: 'w.Header().Set("Content-Type", "text/event-stream"); w.Header().Set("Cache-Control", "no-cache")',
  },
]

/** What to do about a status other than 200, by what that status usually means for a stream. */
function refusedStatusFixes(open: OpenRecord): Finding['fixes'] {
  const { status } = open
  const answer200 = {
    target: 'server',
    hint: 'Answer the stream request with 200; send 204 only to make clients stop.',
  }
  if (status === 401 || status === 403)
    return [
      {
        target: 'server',
        hint: 'EventSource sends no Authorization or other custom header: accept a cookie (withCredentials across origins) or a short-lived token in the URL for the stream',
      },
      {
        target: 'clients',
        hint: 'Send the credentials the endpoint wants (an Authorization header, Basic auth or a cookie)',
      },
    ]
  if (status === 405)
    return [
      {
        target: 'server',
        hint: 'Serve the stream to GET: EventSource sends nothing else (POST streams need a fetch-based client)',
      },
    ]
  if (status === 429 || status === 503) {
    const retryAfter = headerValue(open.headers, 'retry-after')
    return [
      {
        target: 'server',
        hint: `EventSource ignores Retry-After${retryAfter ? ` (this one says ${retryAfter})` : ''} and never comes back after a ${status}: to shed load, answer 200 with "retry: <ms>" and end the response, so clients reconnect after that delay`,
      },
    ]
  }
  if (status === 502 || status === 504)
    return [
      {
        target: 'nginx',
        hint: `A ${status} from a proxy: the stream's backend ${status === 504 ? 'did not answer in time' : 'sent no valid answer'}; check it is up, and proxy_connect_timeout / proxy_read_timeout for a slow first byte`,
      },
      { target: 'HAProxy', hint: 'timeout connect / timeout server for the SSE backend; its health checks' },
      answer200,
    ]
  return [answer200]
}

export function statusCheck(run: CheckRun): Finding {
  const open = openOf(run)
  const base = { id: 'status', title: 'HTTP status' } as const
  if (!open) {
    const error = recordsOf(run.records, 'error')[0]
    if (!error) {
      const seconds = round(run.durationMs / 1000, 1)
      return {
        ...base,
        status: 'fail',
        evidence: { responseHeadWithinMs: null, observedMs: round(run.durationMs) },
        explanation: `The connection was accepted but not even the response head arrived in ${seconds} s: something holds the whole response back (hypothesis: a buffering proxy, often with compression).`,
        fixes: [
          {
            target: 'nginx',
            hint: 'proxy_buffering off; gzip off; proxy_http_version 1.1; for the SSE location',
          },
          { target: 'server', hint: 'Send the response head (res.flushHeaders()) before the first event.' },
        ],
      }
    }
    return {
      ...base,
      status: 'fail',
      evidence: { error: error.message },
      explanation: 'No response arrived, so nothing else could be checked.',
      fixes: [],
    }
  }
  const evidence = {
    status: open.status,
    statusText: open.statusText,
    redirected: open.isRedirected,
    finalUrl: redactUrl(open.url), // reports go to CI logs: no token in them
    ...(open.redirects ? { redirects: redirectChain(open, redactUrl) } : {}),
  }
  if (open.status === 204) {
    return {
      ...base,
      status: 'fail',
      evidence,
      explanation:
        'HTTP 204 tells EventSource to stop for good: clients will never receive events or reconnect.',
      fixes: [],
    }
  }
  if (open.status !== 200) {
    const body = refusedBodyOf(run)
    return {
      ...base,
      status: 'fail',
      evidence: { ...evidence, body: body || null },
      explanation: `EventSource fails the connection on any status but 200 (${open.status} here) and does not reconnect.${body ? ` The server said: ${body}` : ''}`,
      fixes: refusedStatusFixes(open),
    }
  }
  if (open.isRedirected) {
    return {
      ...base,
      status: 'warn',
      evidence,
      explanation: `EventSource follows ${open.redirects && open.redirects.length > 1 ? `${open.redirects.length} redirects` : 'the redirect'} (${redirectChain(open, redactUrl)}), but every reconnect pays for ${open.redirects && open.redirects.length > 1 ? 'them' : 'it'} again, and a cross-origin redirect changes which CORS rules apply.`,
      fixes: [{ target: 'clients', hint: `Point clients at ${redactUrl(open.url)} directly.` }],
    }
  }
  return { ...base, status: 'pass', evidence, explanation: '200 OK opens the stream.', fixes: [] }
}

export function contentTypeCheck(run: CheckRun): Finding {
  const open = openOf(run)
  const base = { id: 'content-type', title: 'Content-Type is text/event-stream' } as const
  if (!open) return { ...base, status: 'skip', evidence: {}, explanation: 'No response.', fixes: [] }
  const value = headerValue(open.headers, 'content-type') ?? null
  const evidence = { contentType: value }
  const isEventStream = mediaTypeEssence(value ?? '') === 'text/event-stream'
  if (open.status !== 200 && !isEventStream)
    // An error page's own type is not the stream's: the status finding says what failed (and shows the body).
    return {
      ...base,
      status: 'skip',
      evidence,
      explanation: `Not judged: the status (${open.status}) already decides the connection; this response is not the stream.`,
      fixes: [],
    }
  if (!isEventStream) {
    const body = refusedBodyOf(run)
    return {
      ...base,
      status: 'fail',
      evidence: body ? { ...evidence, body } : evidence,
      explanation: `EventSource fails the connection unless the media type is exactly text/event-stream (got ${value === null ? 'none' : JSON.stringify(value)}).${body ? ` The body starts: ${body}` : ''}`,
      fixes: SET_SSE_HEADERS,
    }
  }
  const charset = /charset\s*=\s*"?([^";]+)/i.exec(value ?? '')?.[1]
  if (charset && charset.toLowerCase() !== 'utf-8') {
    return {
      ...base,
      status: 'warn',
      evidence: { ...evidence, charset },
      explanation: `SSE is always UTF-8; the charset=${charset} parameter is ignored by clients and misleads readers.`,
      fixes: SET_SSE_HEADERS,
    }
  }
  return { ...base, status: 'pass', evidence, explanation: 'The media type is text/event-stream.', fixes: [] }
}

export function cacheControlCheck(run: CheckRun): Finding {
  const open = openOf(run)
  const base = { id: 'cache-control', title: 'Cache-Control forbids caching' } as const
  if (!open || open.status !== 200)
    return { ...base, status: 'skip', evidence: {}, explanation: 'No stream response.', fixes: [] }
  const value = headerValue(open.headers, 'cache-control') ?? null
  const directives = (value ?? '')
    .toLowerCase()
    .split(',')
    .map((d) => d.trim())
  const evidence = { cacheControl: value }
  const fixes = [
    { target: 'server', hint: 'Send Cache-Control: no-cache, no-transform with the stream.' },
    { target: 'nginx', hint: 'add_header Cache-Control "no-cache, no-transform" always;' },
    {
      target: 'Varnish',
      hint: 'if (beresp.http.Content-Type ~ "text/event-stream") { set beresp.uncacheable = true; set beresp.do_stream = true; }',
    },
  ]
  if (!directives.includes('no-cache') && !directives.includes('no-store')) {
    return {
      ...base,
      status: 'warn',
      evidence,
      explanation:
        'Without no-cache or no-store a cache or CDN may store the stream and replay a stale copy.',
      fixes,
    }
  }
  if (!directives.includes('no-transform')) {
    return {
      ...base,
      status: 'pass',
      evidence,
      explanation:
        'Caching is forbidden. Adding no-transform also tells proxies not to compress or rewrite the stream.',
      fixes: [],
    }
  }
  return {
    ...base,
    status: 'pass',
    evidence,
    explanation: 'Caching and transformation are forbidden.',
    fixes: [],
  }
}

export function compressionCheck(run: CheckRun): Finding {
  const open = openOf(run)
  const base = { id: 'compression', title: 'Compression' } as const
  if (!open || open.status !== 200)
    return { ...base, status: 'skip', evidence: {}, explanation: 'No stream response.', fixes: [] }
  const encoding = headerValue(open.headers, 'content-encoding') ?? null
  if (!encoding || encoding === 'identity') {
    return {
      ...base,
      status: 'pass',
      evidence: { contentEncoding: encoding },
      explanation: 'The stream is not compressed.',
      fixes: [],
    }
  }
  return {
    ...base,
    status: 'warn',
    evidence: { contentEncoding: encoding },
    explanation:
      `The stream is sent with Content-Encoding: ${encoding}. Compression alone is not buffering (see the buffering check for how events actually arrived), ` +
      'but every event then depends on the compressor flushing, and some proxies and clients hold compressed streams back.',
    fixes: [
      {
        target: 'nginx',
        hint: 'gzip off; in the SSE location (or leave text/event-stream out of gzip_types).',
      },
      {
        target: 'Node/Express',
        hint: 'Skip compression() for text/event-stream, or call res.flush() after each event.',
      },
      {
        target: 'Apache',
        hint: 'SetEnv no-gzip 1 for the SSE path (or RemoveOutputFilter DEFLATE): mod_deflate compresses text/event-stream in its filter even when the response says Cache-Control: no-transform.',
      },
      {
        target: 'HAProxy',
        hint: 'Leave text/event-stream out of compression type (it skips a response that says Cache-Control: no-transform).',
      },
      { target: 'Caddy', hint: 'Leave the SSE route out of the encode directive.' },
      {
        target: 'Cloudflare',
        hint: 'Compression is skipped for text/event-stream when Cache-Control has no-transform.',
      },
    ],
  }
}

export function contentLengthCheck(run: CheckRun): Finding {
  const open = openOf(run)
  const base = { id: 'content-length', title: 'No Content-Length on the stream' } as const
  if (!open || open.status !== 200)
    return { ...base, status: 'skip', evidence: {}, explanation: 'No stream response.', fixes: [] }
  const length = headerValue(open.headers, 'content-length') ?? null
  if (length === null) {
    const endsWithConnection = isCloseDelimited(open.httpVersion, open.headers)
    return {
      ...base,
      status: 'pass',
      evidence: {
        contentLength: null,
        endsWith: endsWithConnection ? 'connection close' : 'its own framing',
      },
      explanation: endsWithConnection
        ? `The stream has no declared length, as an endless stream must. It is not chunked (HTTP/${open.httpVersion}), so it ends when the connection closes: a cut that closes cleanly reads as the server ending it (a reset is told apart). Chunked encoding, or HTTP/2, marks the end.`
        : 'The stream has no declared length, as an endless stream must.',
      fixes: [],
    }
  }
  return {
    ...base,
    status: 'fail',
    evidence: { contentLength: length },
    explanation: `A Content-Length (${length}) means the response ends after that many bytes: it is a buffered body, not a stream.`,
    fixes: [
      {
        target: 'server',
        hint: 'Stream the response (chunked or HTTP/2 frames); do not buffer it to compute a length.',
      },
    ],
  }
}
