import { headerValue } from '../sse/request-headers.ts'
import type { CheckRun } from './check-run.ts'
import { openOf } from './header-checks.ts'
import { preflightRefusal } from './cors-preflight.ts'
import type { Evidence, Finding } from './finding.ts'

/** The preflight's question and answer, as evidence. */
function preflightEvidence(preflight: NonNullable<CheckRun['preflight']>): Evidence {
  const { ask, answer } = preflight
  const value = (name: string) =>
    'headers' in answer ? (answer.headers.find(([n]) => n.toLowerCase() === name)?.[1] ?? null) : null
  return {
    preflightMethod: ask.method,
    preflightHeaders: ask.headers.join(', ') || null,
    preflightStatus:
      'error' in answer
        ? answer.error
        : 'redirect' in answer
          ? `${answer.redirect.status} to ${answer.redirect.location}`
          : answer.status,
    preflightAllowOrigin: value('access-control-allow-origin'),
    preflightAllowMethods: value('access-control-allow-methods'),
    preflightAllowHeaders: value('access-control-allow-headers'),
  }
}

/** A page's request that its browser never sends: the preflight did not allow it. */
function preflightFailure(
  origin: string,
  preflight: NonNullable<CheckRun['preflight']>,
  refusal: string,
): Finding {
  const { ask } = preflight
  const allowHeaders =
    ask.headers.length > 0 ? `, Access-Control-Allow-Headers: ${ask.headers.join(', ')}` : ''
  return {
    id: 'cors',
    title: 'CORS for a page in a browser',
    status: 'fail',
    evidence: { origin, ...preflightEvidence(preflight) },
    explanation: `A page on ${origin} cannot send this request: a browser first asks (OPTIONS, its preflight), and ${refusal}, so it never sends the ${ask.method}.`,
    fixes: [
      {
        target: 'server',
        hint: `Answer OPTIONS with 204 and Access-Control-Allow-Origin: ${origin}, Access-Control-Allow-Methods: ${ask.method}${allowHeaders} (Authorization must be named: * does not cover it)`,
      },
      {
        target: 'nginx',
        hint: `if ($request_method = OPTIONS) { add_header Access-Control-Allow-Origin ${origin}; add_header Access-Control-Allow-Methods ${ask.method}; add_header Access-Control-Allow-Headers "${ask.headers.join(', ') || '*'}"; return 204; }`,
      },
    ],
  }
}

/** Whether a page on the Origin given may read the stream: the response's CORS headers, and first the preflight a page's fetch needs. */
export function corsCheck(run: CheckRun): Finding {
  const base = { id: 'cors', title: 'CORS for a page in a browser' } as const
  if (!run.origin)
    return {
      ...base,
      status: 'skip',
      evidence: {},
      explanation: 'No Origin given (--origin): CORS not checked.',
      fixes: [],
    }
  const open = openOf(run)
  if (!open) return { ...base, status: 'skip', evidence: {}, explanation: 'No response.', fixes: [] }
  const preflight = run.preflight
  if (preflight) {
    const refusal = preflightRefusal(preflight.ask, preflight.answer, run.origin)
    if (refusal) return preflightFailure(run.origin, preflight, refusal)
  }
  const allowOrigin = headerValue(open.headers, 'access-control-allow-origin') ?? null
  const allowCredentials = headerValue(open.headers, 'access-control-allow-credentials') ?? null
  const evidence = {
    origin: run.origin,
    ...(preflight ? preflightEvidence(preflight) : {}),
    allowOrigin,
    allowCredentials,
  }
  const fixes = [
    {
      target: 'server',
      hint: `Access-Control-Allow-Origin: ${run.origin} (and Access-Control-Allow-Credentials: true for withCredentials)`,
    },
  ]
  if (allowOrigin === run.origin) {
    const note =
      allowCredentials === 'true'
        ? ' and allows credentials'
        : '; new EventSource(url, {withCredentials: true}) would still be refused without Access-Control-Allow-Credentials: true'
    return {
      ...base,
      status: 'pass',
      evidence,
      explanation: `The stream allows ${run.origin}${note}.`,
      fixes: allowCredentials === 'true' ? [] : fixes,
    }
  }
  if (allowOrigin === '*') {
    return {
      ...base,
      status: 'warn',
      evidence,
      explanation:
        'Any origin may read the stream, but not with credentials (cookies): withCredentials EventSources are refused.',
      fixes,
    }
  }
  return {
    ...base,
    status: 'fail',
    evidence,
    explanation: `A page on ${run.origin} cannot read this stream: the browser blocks it.`,
    fixes,
  }
}
