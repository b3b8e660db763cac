import { CookieJar, parseCookieHeader } from '../sse/cookie-jar.ts'
import { answerMethodOf, eventsOf, recordsOf, type CheckRun } from './check-run.ts'
import type { Finding } from './finding.ts'
import { openOf } from './header-checks.ts'
import { plural } from '../plural.ts'

const isNumeric = (id: string) => /^\d+$/.test(id)

/** The ids the observation's events carried, in order. */
export function observedIds(run: CheckRun): string[] {
  return eventsOf(run.records)
    .map((e) => e.id)
    .filter((id): id is string => id !== undefined && id !== '')
}

const RESUME_FIXES = [
  {
    target: 'server',
    hint: 'Read the Last-Event-ID request header and send only the events after it (keep a replay buffer long enough to cover reconnect delays).',
  },
  {
    target: 'Node/Express',
    hint: "const since = req.get('Last-Event-ID'); replay buffer.filter(e => e.id > since) before streaming live events",
  },
]

/**
 * Cookies the observation's responses set that the resume request did not send back. Behind a load
 * balancer with an affinity cookie, that alone sends a resume to a backend that does not know the
 * stream, while a browser's reconnect would carry the cookie.
 */
function cookiesNotSentBack(run: CheckRun, resumeRecords: CheckRun['records']): string[] {
  const request = recordsOf(resumeRecords, 'request')[0]
  const sent = (request?.headers ?? [])
    .filter(([name]) => name.toLowerCase() === 'cookie')
    .flatMap(([, value]) => parseCookieHeader(value).map(([name]) => name))
  if (!request) return []
  return CookieJar.fromResponses(run.records)
    .names(request.url, request.atMs)
    .filter((name) => !sent.includes(name))
}

/** The resume fixes, led by the affinity-cookie one when cookies were set and not sent back. */
function resumeFixes(unsentCookies: string[]): Finding['fixes'] {
  if (unsentCookies.length === 0) return RESUME_FIXES
  const names = unsentCookies.join(', ')
  return [
    {
      target: 'client / load balancer',
      hint: `The first response set ${unsentCookies.length === 1 ? 'a cookie' : 'cookies'} (${names}) that this resume did not send back. If ${unsentCookies.length === 1 ? 'it' : 'one'} is a load balancer's affinity cookie, a browser's reconnect carries it and reaches the backend that knows the stream: check again with --keep-cookies (Options: Keep cookies across reconnects).`,
    },
    ...RESUME_FIXES,
  ]
}

export function idsCheck(run: CheckRun): Finding {
  const base = { id: 'ids', title: 'Event ids are present, unique and ordered' } as const
  const events = eventsOf(run.records)
  if (events.length === 0)
    return {
      ...base,
      status: 'skip',
      evidence: { events: 0 },
      explanation: 'No events to inspect.',
      fixes: [],
    }
  const ids = observedIds(run)
  const seen = new Set<string>()
  let duplicates = 0
  for (const id of ids) {
    if (seen.has(id)) duplicates++
    seen.add(id)
  }
  const numeric = ids.length > 0 && ids.every(isNumeric)
  let decreases = 0
  if (numeric) for (let i = 1; i < ids.length; i++) if (Number(ids[i]) <= Number(ids[i - 1])) decreases++
  const evidence = {
    events: events.length,
    eventsWithId: ids.length,
    uniqueIds: seen.size,
    duplicates,
    numeric,
    notIncreasing: numeric ? decreases : null,
  }
  const answerMethod = answerMethodOf(run)
  if (ids.length === 0 && answerMethod) {
    return {
      ...base,
      status: 'skip',
      evidence,
      explanation: `No event carries an id, as is usual for a ${answerMethod} stream: it is one answer read with fetch (EventSource sends only GET), and no client reconnects to resume it. Send ids only if your clients resume answers.`,
      fixes: [],
    }
  }
  if (ids.length === 0) {
    return {
      ...base,
      status: 'warn',
      evidence,
      explanation:
        'No event carries an id: after a reconnect, clients cannot tell the server where they stopped, so events are lost or repeated.',
      fixes: [{ target: 'server', hint: 'Send "id: <sequence>" with every event.' }],
    }
  }
  if (duplicates > 0) {
    return {
      ...base,
      status: 'fail',
      evidence,
      explanation: `${plural(duplicates, 'event')} ${duplicates === 1 ? 'repeats' : 'repeat'} an id seen earlier: resuming from such an id is ambiguous.`,
      fixes: [{ target: 'server', hint: 'Give every event a unique, increasing id.' }],
    }
  }
  if (numeric && decreases > 0) {
    return {
      ...base,
      status: 'warn',
      evidence,
      explanation: `Numeric ids go down ${decreases === 1 ? 'once' : `${decreases} times`}: a server resuming "after" an id may skip or repeat events.`,
      fixes: [],
    }
  }
  const partial =
    ids.length < events.length
      ? ` (${plural(events.length - ids.length, 'event')} without one ${events.length - ids.length === 1 ? 'keeps' : 'keep'} the previous id)`
      : ''
  return {
    ...base,
    status: 'pass',
    evidence,
    explanation: `Ids are unique${numeric ? ' and increasing' : ''}${partial}.`,
    fixes: [],
  }
}

export function resumeCheck(run: CheckRun): Finding {
  const base = { id: 'resume', title: 'Reconnecting with Last-Event-ID resumes right after it' } as const
  if (!run.resume) {
    const reason =
      observedIds(run).length === 0
        ? 'the stream sent no ids to resume from'
        : run.isStoppedEarly
          ? 'the run was stopped before the resume probe'
          : 'the resume probe was not run'
    return { ...base, status: 'skip', evidence: {}, explanation: `Skipped: ${reason}.`, fixes: [] }
  }
  const { sentId } = run.resume
  const open = recordsOf(run.resume.records, 'open')[0]
  const resumed = eventsOf(run.resume.records).map((e) => e.id ?? '')
  const original = observedIds(run)
  const at = original.indexOf(sentId)
  const expected = original[at + 1]
  const first = resumed[0]
  const unsentCookies = cookiesNotSentBack(run, run.resume.records)
  const evidence = {
    sentLastEventId: sentId,
    expectedNextId: expected ?? null,
    firstIdAfterResume: first ?? null,
    status: open?.status ?? null,
    ...(unsentCookies.length > 0 ? { cookiesNotSentBack: unsentCookies.join(', ') } : {}),
  }
  const fixes = resumeFixes(unsentCookies)
  if (!open || open.status !== 200) {
    return {
      ...base,
      status: 'fail',
      evidence,
      explanation: `The resumed request was answered with ${open ? `HTTP ${open.status}` : 'no response'}.`,
      fixes,
    }
  }
  if (first === undefined)
    return {
      ...base,
      status: 'warn',
      evidence,
      explanation: 'No event arrived on the resumed connection in time to judge.',
      fixes: [],
    }
  const gap = isNumeric(sentId) && isNumeric(first) ? Number(first) - Number(sentId) - 1 : undefined
  if (first === sentId) {
    return {
      ...base,
      status: 'fail',
      evidence,
      explanation: `The server re-sent event ${sentId}, which the client already had: clients see it twice.`,
      fixes,
    }
  }
  if (first === expected || (expected === undefined && gap === 0)) {
    return {
      ...base,
      status: 'pass',
      evidence,
      explanation: `Resumed right after ${sentId} with ${first}.`,
      fixes: [],
    }
  }
  if (first === original[0] || (gap !== undefined && Number(first) <= Number(sentId))) {
    return {
      ...base,
      status: 'fail',
      evidence,
      explanation: `The server ignored Last-Event-ID ${sentId} and started again from ${first}: clients get everything twice.`,
      fixes,
    }
  }
  if (gap !== undefined && gap > 0) {
    return {
      ...base,
      status: 'fail',
      evidence: { ...evidence, missedEvents: gap },
      explanation: `After ${sentId} the server continued at ${first}: ${plural(gap, 'event')} ${gap === 1 ? 'was' : 'were'} lost.`,
      fixes,
    }
  }
  return {
    ...base,
    status: 'warn',
    evidence,
    explanation: `After ${sentId} the server sent ${first}; expected ${expected ?? 'the next id'}.`,
    fixes,
  }
}

/** The first `count` distinct items, joined, with "…" if there are more: a server may repeat a line endlessly. */
function firstOf(items: readonly (string | number)[], count: number, separator: string): string {
  const distinct = [...new Set(items)]
  return distinct.slice(0, count).join(separator) + (distinct.length > count ? `${separator}…` : '')
}

/** A retry past this keeps clients away for longer than any outage a reconnect should ride out. */
const RETRY_TOO_LONG_MS = 3_600_000

export function retryCheck(run: CheckRun): Finding {
  const base = { id: 'retry', title: 'retry values are valid' } as const
  const open = openOf(run)
  if (!open || open.status !== 200)
    return { ...base, status: 'skip', evidence: {}, explanation: 'No stream response.', fixes: [] }
  const invalid = recordsOf(run.records, 'warning').filter((w) => w.code === 'invalid-retry')
  // Distinct values, the first few: a server may send a retry line with every event.
  const values = [...new Set(recordsOf(run.records, 'retry').map((r) => r.ms))]
  const shown = firstOf(values, 10, ', ')
  const evidence = {
    retryValuesMs: values.length ? shown : null,
    invalidRetryLines: invalid.length,
  }
  if (invalid.length > 0) {
    return {
      ...base,
      status: 'fail',
      evidence,
      explanation: `${invalid.length} retry fields are ignored by clients: ${firstOf(
        invalid.map((w) => w.message),
        3,
        '; ',
      )}.`,
      fixes: [
        { target: 'server', hint: 'Send the reconnection delay in whole milliseconds: "retry: 3000".' },
      ],
    }
  }
  if (values.some((v) => v < 100)) {
    return {
      ...base,
      status: 'warn',
      evidence,
      explanation:
        'A retry under 100 ms makes every client reconnect at once after an outage (a reconnect storm).',
      fixes: [{ target: 'server', hint: 'Use retry values of seconds, e.g. "retry: 3000".' }],
    }
  }
  const longest = values.reduce((most, ms) => Math.max(most, ms), 0)
  if (longest > RETRY_TOO_LONG_MS) {
    return {
      ...base,
      status: 'warn',
      evidence,
      explanation: `A retry of ${longest} ms (${(longest / 3_600_000).toFixed(1)} h) keeps every client away that long after a dropped connection: for them the stream is gone.`,
      fixes: [
        {
          target: 'server',
          hint: 'Use retry values of seconds, e.g. "retry: 3000"; to stop clients for good, answer 204 No Content.',
        },
      ],
    }
  }
  const answerMethod = answerMethodOf(run)
  const note = values.length
    ? `Retry hints (${shown} ms) are valid.`
    : answerMethod
      ? `No retry field: a ${answerMethod} stream is read with fetch, which does not reconnect.`
      : 'No retry field: clients use their default (about 3 s).'
  return { ...base, status: 'pass', evidence, explanation: note, fixes: [] }
}
