import {
  answerMethodOf,
  eventsOf,
  limitNote,
  percentile,
  recordsOf,
  round,
  sentAtMsOf,
  type CheckRun,
} from './check-run.ts'
import type { Finding } from './finding.ts'
import type { CloseRecord, OpenRecord } from '../sse/stream-records.ts'
import { plural } from '../plural.ts'
import { openOf } from './header-checks.ts'

/** Events that arrive within this many ms of each other count as one burst. */
const BURST_GAP_MS = 5
const formatBytes = (bytes: number) => (bytes >= 1024 ? `${round(bytes / 1024, 1)} KiB` : `${bytes} B`)
/** A stream that ends sooner than this shows nothing about its silences. */
const SHORTEST_WATCH_MS = 1000
const COMMON_IDLE_TIMEOUTS =
  'nginx proxy_read_timeout, Apache Timeout and Varnish between_bytes_timeout 60 s, AWS ALB / GCP LB 60 s, Cloudflare 100 s'

const BUFFERING_FIXES = [
  {
    target: 'nginx',
    hint: 'proxy_buffering off; (or send X-Accel-Buffering: no from the app), proxy_cache off; gzip off;',
  },
  {
    target: 'HAProxy',
    hint: 'option http-no-delay in the backend (without it small writes wait up to 200 ms); no compression for text/event-stream',
  },
  { target: 'Apache', hint: 'ProxyPass … flushpackets=on (mod_proxy); SetEnv no-gzip 1 for the SSE path' },
  { target: 'Caddy', hint: 'reverse_proxy … { flush_interval -1 }' },
  { target: 'Varnish', hint: 'set beresp.do_stream = true; and pass (return(pass)) for text/event-stream' },
  {
    target: 'Node/Express',
    hint: 'write each event as soon as it exists; with compression(), call res.flush() after each write',
  },
  {
    target: 'Python ASGI',
    hint: 'yield each event from the StreamingResponse generator; do not collect them',
  },
  { target: 'Go', hint: 'call w.(http.Flusher).Flush() after writing each event' },
]

/** How the server or the network ended the observed response, if it did (the run's own stop aside). */
function endOf(run: CheckRun, open: OpenRecord): CloseRecord | undefined {
  return recordsOf(run.records, 'close').find((c) => c.attempt === open.attempt && c.cause !== 'aborted')
}

/** A short span as people say it: "2 ms", "0.8 s", "12 s". */
const endedAfter = (ms: number): string => (ms < 1000 ? `${round(ms)} ms` : `${round(ms / 1000, 1)} s`)

/**
 * What the shape of the bursts suggests holds them, as a sentence to add (or ''). Two signatures, measured
 * against real proxies (test/unit/main/checks/{nginx,haproxy}-checks.test.ts):
 * - bursts of one memory page (4 or 8 KiB) whatever the rate: a buffer sent when full — nginx's proxy
 *   buffers are a page by default (stock nginx: ~4 KiB bursts, 4.0–4.1 KiB mean at any event size);
 * - otherwise, holds that stop at ~200 ms, the most Linux holds a corked write (MSG_MORE, TCP_CORK):
 *   stock HAProxy corks (2.6: ~1 KiB bursts every ~220 ms, each held up to ~205 ms). A page buffer
 *   filling every 200 ms holds as long, hence the page first.
 */
function burstSignature(bursts: number, perBurst: number, meanBurstBytes: number, maxHeldMs: number): string {
  const page = [4096, 8192].find((size) => Math.abs(meanBurstBytes - size) <= size * 0.05)
  if (page !== undefined && bursts >= 3 && perBurst >= 2)
    return ` Bursts of ~${page / 1024} KiB, one memory page: a buffer sent only when full (hypothesis: nginx proxy_buffering, whose buffers are a page by default).`
  if (maxHeldMs >= 180 && maxHeldMs <= 280)
    return ' None longer than ~200 ms, the most Linux holds a write sent with MSG_MORE or TCP_CORK: a proxy or server corking its sends (hypothesis: HAProxy without option http-no-delay, its default).'
  return ''
}

export function bufferingCheck(run: CheckRun): Finding {
  const base = { id: 'buffering', title: 'Events arrive as they are sent (flushing)' } as const
  const open = openOf(run)
  const events = eventsOf(run.records)
  if (!open || open.status !== 200)
    return { ...base, status: 'skip', evidence: {}, explanation: 'No stream response.', fixes: [] }
  const close = endOf(run, open)
  if (events.length === 0 && close) {
    // Nothing was held back: the response ended (or was refused) before it carried an event.
    return {
      ...base,
      status: 'skip',
      evidence: { events: 0, endedAfterMs: round(close.atMs - open.atMs) },
      explanation: `The stream ended ${endedAfter(close.atMs - open.atMs)} after its headers without an event (${close.cause}): nothing shows how events are flushed.`,
      fixes: [],
    }
  }
  if (events.length === 0) {
    return {
      ...base,
      status: 'warn',
      evidence: { events: 0, observedMs: round(run.durationMs) },
      explanation: `No event arrived in ${round(run.durationMs / 1000, 1)} s: either the stream is quiet, or something holds events back.`,
      fixes: BUFFERING_FIXES,
    }
  }
  // Bursts: events that arrived together.
  const bursts: { atMs: number; count: number; bytes: number }[] = []
  for (const event of events) {
    const last = bursts.at(-1)
    const size = event.endByte - event.startByte
    if (last && event.atMs - last.atMs <= BURST_GAP_MS) {
      last.count++
      last.bytes += size
    } else bursts.push({ atMs: event.atMs, count: 1, bytes: size })
  }
  const gaps = bursts
    .slice(1)
    .map((b, i) => b.atMs - bursts[i]!.atMs)
    .sort((a, b) => a - b)
  const perBurst = events.length / bursts.length
  const evidence: Record<string, number | string | null> = {
    events: events.length,
    bursts: bursts.length,
    meanEventsPerBurst: round(perBurst, 1),
    maxEventsPerBurst: bursts.reduce((max, b) => Math.max(max, b.count), 0), // not max(...): 100k+ bursts
    medianBurstGapMs: gaps.length ? round(percentile(gaps, 0.5)) : null,
    meanBurstBytes: round(bursts.reduce((n, b) => n + b.bytes, 0) / bursts.length),
    firstEventAfterOpenMs: round(events[0]!.atMs - open.atMs, 1),
  }
  if (run.isLimitReached) evidence.observedMs = round(run.durationMs)
  const limit = limitNote(run.isLimitReached, run.durationMs)
  const sent = events
    .map((e) => ({ event: e, sentAtMs: sentAtMsOf(e) }))
    .filter((x) => x.sentAtMs !== undefined)
  // Two send times already prove a hold-up (one event's trip took longer than the other's).
  if (sent.length >= 2) {
    // Delay relative to the fastest event: cancels clock skew between sender and us.
    const delays = sent.map((x) => x.event.atMs - x.sentAtMs!)
    const fastest = delays.reduce((min, d) => Math.min(min, d), Infinity)
    const added = delays.map((d) => d - fastest).sort((a, b) => a - b)
    const p95 = percentile(added, 0.95)
    Object.assign(evidence, {
      eventsWithSendTime: sent.length,
      addedDelayP50Ms: round(percentile(added, 0.5)),
      addedDelayP95Ms: round(p95),
      addedDelayMaxMs: round(added.at(-1)!),
    })
    const summary = `${plural(events.length, 'event')} arrived in ${plural(bursts.length, 'burst')} (about ${plural(round(perBurst, 1), 'event')}, ${formatBytes(Number(evidence.meanBurstBytes))} each)${limit}; compared with their send times, events were held back up to ${round(added.at(-1)!)} ms (p95 ${round(p95)} ms)`
    const signature = burstSignature(bursts.length, perBurst, Number(evidence.meanBurstBytes), added.at(-1)!)
    if (p95 > 500) {
      return {
        ...base,
        status: 'fail',
        evidence,
        explanation: `${summary}. Something between the sender and this client buffers the stream (hypothesis: a proxy's response buffering, compression, or the application itself).${signature}`,
        fixes: BUFFERING_FIXES,
      }
    }
    if (p95 > 150)
      return {
        ...base,
        status: 'warn',
        evidence,
        explanation: `${summary}: noticeable, if small, hold-ups.${signature}`,
        fixes: BUFFERING_FIXES,
      }
    return {
      ...base,
      status: 'pass',
      evidence,
      explanation: `${summary}: events flow as they are sent.`,
      fixes: [],
    }
  }
  if (events.length < 3) {
    // A burst or two of unknown send times could be the stream's own rhythm: not enough to judge either way.
    return {
      ...base,
      status: 'skip',
      evidence,
      explanation: `Only ${plural(events.length, 'event')} in ${round(run.durationMs / 1000, 1)} s, without send times: too few to judge flushing. Observe longer, or check through the probe origin (sse-inspector probe).`,
      fixes: [],
    }
  }
  const medianGap = gaps.length ? percentile(gaps, 0.5) : 0
  const summary = `${plural(events.length, 'event')} arrived in ${plural(bursts.length, 'burst')}, ${round(medianGap)} ms apart (median), about ${formatBytes(Number(evidence.meanBurstBytes))} each${limit}`
  if (bursts.length >= 2 && perBurst >= 4 && medianGap >= 500) {
    return {
      ...base,
      status: 'warn',
      evidence,
      explanation: `${summary}. That is the pattern of a buffer being flushed (hypothesis: a buffering proxy or application); the events carry no send time to prove it — check through the probe origin (sse-inspector probe).${burstSignature(bursts.length, perBurst, Number(evidence.meanBurstBytes), 0)}`,
      fixes: BUFFERING_FIXES,
    }
  }
  return { ...base, status: 'pass', evidence, explanation: `${summary}: no sign of buffering.`, fixes: [] }
}

/**
 * The longest silence of one observed connection (from its response to each chunk, and on to its end)
 * and when the server or network ended it, if it did; undefined if it got no response.
 */
function silencesOf(
  records: CheckRun['records'],
  durationMs: number,
): { longest: number; endedAfterMs?: number } | undefined {
  const open = recordsOf(records, 'open')[0]
  if (!open) return undefined
  const close = recordsOf(records, 'close').at(-1)
  const end = close?.atMs ?? open.atMs + durationMs
  const times = [open.atMs, ...recordsOf(records, 'chunk').map((c) => c.atMs), end]
  let longest = 0
  for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i]! - times[i - 1]!)
  // The run aborts its own observation; any other close means the server (or the network) ended it.
  return close && close.cause !== 'aborted' ? { longest, endedAfterMs: end - open.atMs } : { longest }
}

export function heartbeatCheck(run: CheckRun): Finding {
  const base = { id: 'heartbeat', title: 'Silences stay under common idle timeouts' } as const
  const open = openOf(run)
  if (!open || open.status !== 200)
    return { ...base, status: 'skip', evidence: {}, explanation: 'No stream response.', fixes: [] }
  const records = run.idle ? [...run.records, ...run.idle.records] : run.records
  const { longest: observed, endedAfterMs } = silencesOf(run.records, run.durationMs)!
  // The idle watch is one more connection, watched longer: its silences count too.
  const idle = run.idle && silencesOf(run.idle.records, run.idle.durationMs)
  const longest = Math.max(observed, idle?.longest ?? 0)
  const isIdleLongest = idle !== undefined && idle.longest > observed
  const comments = recordsOf(records, 'comment').filter((c) => c.attempt === 0)
  const commentGaps = comments
    .slice(1)
    .map((c, i) => c.atMs - comments[i]!.atMs)
    .sort((a, b) => a - b)
  const evidence = {
    observedMs: round(run.durationMs),
    longestSilenceMs: round(longest),
    comments: comments.length,
    heartbeatIntervalMs: commentGaps.length ? round(percentile(commentGaps, 0.5)) : null,
  }
  const fixes = [
    {
      target: 'server',
      hint: 'Send a comment line (": ping\\n\\n") every 15–30 s when there is nothing else to send.',
    },
    {
      target: 'nginx',
      hint: 'proxy_read_timeout 3600s; for the SSE location (and keep heartbeats below it).',
    },
  ]
  if (longest >= 60_000) {
    return {
      ...base,
      status: 'fail',
      evidence,
      explanation: `The stream was silent for ${round(longest / 1000, 1)} s: at or past common idle timeouts (${COMMON_IDLE_TIMEOUTS}), so proxies will cut it.`,
      fixes,
    }
  }
  if (longest >= 30_000) {
    return {
      ...base,
      status: 'warn',
      evidence,
      explanation: `The stream was silent for ${round(longest / 1000, 1)} s, close to common idle timeouts (${COMMON_IDLE_TIMEOUTS}).`,
      fixes,
    }
  }
  const heartbeat =
    evidence.heartbeatIntervalMs !== null
      ? `; heartbeat comments every ${round(evidence.heartbeatIntervalMs / 1000, 1)} s`
      : comments.length > 0
        ? '; heartbeat comments seen'
        : ''
  if (endedAfterMs !== undefined && endedAfterMs < SHORTEST_WATCH_MS) {
    return {
      ...base,
      status: 'skip',
      evidence: { ...evidence, endedAfterMs: round(endedAfterMs) },
      explanation: `The stream ended after ${round(endedAfterMs / 1000, 2)} s: too soon to see how long it stays silent.`,
      fixes: [],
    }
  }
  const scope =
    isIdleLongest && idle.endedAfterMs !== undefined
      ? ` in the idle watch, before its connection ended after ${round(idle.endedAfterMs / 1000, 1)} s (see idle-timeout)`
      : endedAfterMs !== undefined
        ? ` before the stream ended after ${round(endedAfterMs / 1000, 1)} s`
        : run.isLimitReached
          ? limitNote(true, run.durationMs)
          : run.idle
            ? ` in ${round(run.durationMs / 1000, 1)} s of observation and a ${round(run.idle.durationMs / 1000, 1)} s idle watch`
            : run.durationMs < 60_000
              ? ` in ${round(run.durationMs / 1000, 1)} s of observation (longer silences may exist; use --idle to look longer)`
              : ''
  return {
    ...base,
    status: 'pass',
    evidence,
    explanation: `Longest silence ${round(longest / 1000, 2)} s${heartbeat}${scope}.`,
    fixes: [],
  }
}

/**
 * Whether the observed stream went on until the observation ended, or the server closed it cleanly;
 * one broken off mid-body (reset, cut, a damaged chunked encoding) fails, with what broke it.
 */
export function streamEndCheck(run: CheckRun): Finding {
  const base = { id: 'stream-end', title: 'The stream is not broken off' } as const
  const open = openOf(run)
  if (!open || open.status !== 200)
    return { ...base, status: 'skip', evidence: {}, explanation: 'No stream response.', fixes: [] }
  const close = endOf(run, open)
  const events = eventsOf(run.records).length
  if (!close) {
    return {
      ...base,
      status: 'pass',
      evidence: { observedMs: round(run.durationMs), events },
      explanation: `The connection stayed open for the whole observation (${round(run.durationMs / 1000, 1)} s${limitNote(run.isLimitReached, run.durationMs)}).`,
      fixes: [],
    }
  }
  const endedAfterMs = round(close.atMs - open.atMs)
  const evidence = { endedAfterMs, events, cause: close.cause, message: close.message }
  if (close.cause === 'content-type')
    return {
      ...base,
      status: 'skip',
      evidence,
      explanation: 'Refused at its headers (see content-type): there was no stream to break off.',
      fixes: [],
    }
  const after = `after ${round(endedAfterMs / 1000, 2)} s and ${plural(events, 'event')}`
  const discarded = recordsOf(run.records, 'warning').find((w) => w.code === 'discarded-at-eof')
  if (close.cause === 'eof' && discarded) {
    return {
      ...base,
      status: 'warn',
      evidence,
      explanation: `The server ended the response ${after}, inside an event (no blank line after it): clients discard that event.`,
      fixes: [
        {
          target: 'server',
          hint: 'End every event with a blank line ("\\n\\n") before closing the response.',
        },
      ],
    }
  }
  const answerMethod = answerMethodOf(run)
  if (close.cause === 'eof') {
    return {
      ...base,
      status: 'pass',
      evidence,
      explanation: answerMethod
        ? `The server ended the response cleanly ${after}, as a ${answerMethod} stream ends with its answer.`
        : `The server ended the response cleanly ${after}; clients reconnect after the retry delay.`,
      fixes: [],
    }
  }
  if (close.cause === 'too-large') {
    return {
      ...base,
      status: 'warn',
      evidence,
      explanation: `This client stopped the stream ${after}: ${close.message}. Browsers read larger events.`,
      fixes: [],
    }
  }
  return {
    ...base,
    status: 'fail',
    evidence,
    explanation: `The stream broke off ${after}: ${close.message}. Clients reconnect, and lose what was in flight unless resume works.`,
    fixes: [
      {
        target: 'server',
        hint: 'Keep the response open: an error in the event loop or writer must not end it; log what ended it.',
      },
      {
        target: 'nginx',
        hint: 'error.log names the cut ("upstream prematurely closed connection"); proxy_read_timeout 3600s; proxy_http_version 1.1; proxy_set_header Connection "";',
      },
      {
        target: 'HAProxy',
        hint: "timeout server 1h for the SSE backend (since 2.0, timeout tunnel does not apply to an SSE response); the log's termination state (e.g. sD, SD, CD) says which side cut it",
      },
    ],
  }
}

export function idleTimeoutCheck(run: CheckRun): Finding {
  const base = { id: 'idle-timeout', title: 'The connection survives idle periods' } as const
  if (!run.idle)
    return {
      ...base,
      status: 'skip',
      evidence: {},
      explanation: run.isStoppedEarly
        ? 'Not observed: the run was stopped before the idle watch.'
        : 'Not observed: opt in with --idle SECONDS.',
      fixes: [],
    }
  const open = recordsOf(run.idle.records, 'open')[0]
  const close = recordsOf(run.idle.records, 'close').find((c) => c.cause !== 'aborted')
  if (!open)
    return {
      ...base,
      status: 'skip',
      evidence: {},
      explanation: 'The idle observation got no response.',
      fixes: [],
    }
  const chunks = recordsOf(run.idle.records, 'chunk')
  if (close) {
    const lastData = chunks.at(-1)?.atMs ?? open.atMs
    const evidence = {
      observedMs: round(run.idle.durationMs),
      cutAfterMs: round(close.atMs - open.atMs),
      silenceBeforeCutMs: round(close.atMs - lastData),
      cause: close.cause,
    }
    return {
      ...base,
      status: 'fail',
      evidence,
      explanation: `The connection was cut after ${round((close.atMs - open.atMs) / 1000, 1)} s (${close.cause}: ${close.message}), ${round((close.atMs - lastData) / 1000, 1)} s after the last data. Clients reconnect, but lose events unless resume works.`,
      fixes: [
        {
          target: 'server',
          hint: 'Send heartbeat comments more often than the shortest idle timeout on the path.',
        },
        { target: 'nginx', hint: 'proxy_read_timeout 3600s; proxy_send_timeout 3600s;' },
        {
          target: 'HAProxy',
          hint: 'timeout server 1h (longer than the longest silence) for the SSE backend: timeout tunnel does not apply to an SSE response (since 2.0; measured on 2.6)',
        },
        {
          target: 'Apache',
          hint: 'ProxyPass /events http://backend/events timeout=3600 (mod_proxy waits ProxyTimeout, which defaults to Timeout: 60 s)',
        },
        {
          target: 'Varnish',
          hint: 'sub vcl_backend_fetch { set bereq.between_bytes_timeout = 3600s; } for the SSE path (the between_bytes_timeout parameter, 60 s by default, cuts a silent backend)',
        },
        { target: 'Cloudflare', hint: 'Idle connections are closed after 100 s: heartbeat every 30–60 s.' },
      ],
    }
  }
  const evidence = { observedMs: round(run.idle.durationMs), chunks: chunks.length }
  if (run.idle.isLimitReached)
    return {
      ...base,
      status: 'skip',
      evidence,
      explanation: `The stream never went idle${limitNote(true, run.idle.durationMs)}: an idle timeout shows on a quiet stream.`,
      fixes: [],
    }
  return {
    ...base,
    status: 'pass',
    evidence,
    explanation: `The connection stayed open for the whole ${round(run.idle.durationMs / 1000, 1)} s observation.`,
    fixes: [],
  }
}
