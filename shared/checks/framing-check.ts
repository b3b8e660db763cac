import { recordsOf, type CheckRun } from './check-run.ts'
import type { Finding, Fix } from './finding.ts'
import { openOf } from './header-checks.ts'
import { plural } from '../plural.ts'
import type { WarningCode } from '../sse/stream-records.ts'

/** What the parser met that clients read differently (or not at all), with why and the fix. */
const RISKS: readonly { code: WarningCode; says: (count: number) => string; fix: Fix }[] = [
  {
    code: 'cr-line-endings',
    says: () =>
      'Lines end with a bare CR. The spec allows it and browsers split on it, but many SSE clients outside browsers (and hand-written parsers) split only on LF and read one endless line.',
    fix: { target: 'server', hint: 'End lines with "\\n" (or "\\r\\n"), never a bare "\\r".' },
  },
  {
    code: 'bom',
    says: () =>
      'The stream starts with a byte order mark. EventSource strips it; clients that do not read it as part of the first field name, and ignore that field (often the first id or event type).',
    fix: { target: 'server', hint: 'Write the stream as UTF-8 without a byte order mark.' },
  },
  {
    code: 'nul-in-id',
    says: (count) =>
      `${plural(count, 'id field')} ${count === 1 ? 'contains' : 'contain'} U+0000 NULL: the spec ignores such a field, so the last event ID does not move and a reconnect resumes from an older id.`,
    fix: { target: 'server', hint: 'Make ids of printable characters (a sequence number, a timestamp).' },
  },
  {
    code: 'invalid-utf8',
    says: () =>
      'The stream holds bytes that are not UTF-8 (or U+FFFD itself): clients replace them with U+FFFD, so the data they get is not what was sent. An event stream is always UTF-8, whatever charset its Content-Type names.',
    fix: { target: 'server', hint: 'Encode the stream as UTF-8.' },
  },
]

/**
 * Whether the stream's lines and fields read the same in every client: what the spec allows but other
 * clients read otherwise (a bare CR, a byte order mark), and what silently changes what clients get (an
 * id with NULL, bytes that are not UTF-8). Fields the spec does not know are noted, not held against it.
 */
export function framingCheck(run: CheckRun): Finding {
  const base = { id: 'framing', title: 'Lines and fields read the same in every client' } as const
  const open = openOf(run)
  if (!open || open.status !== 200)
    return { ...base, status: 'skip', evidence: {}, explanation: 'No stream response.', fixes: [] }
  const warnings = recordsOf(run.records, 'warning')
  const countOf = (code: WarningCode) => warnings.filter((w) => w.code === code).length
  const found = RISKS.filter((risk) => countOf(risk.code) > 0)
  const unknownFields = countOf('unknown-field')
  const evidence = {
    crLineEndings: countOf('cr-line-endings') > 0,
    byteOrderMark: countOf('bom') > 0,
    idsWithNul: countOf('nul-in-id'),
    notUtf8: countOf('invalid-utf8') > 0,
    unknownFields,
  }
  const unknownNote =
    unknownFields > 0
      ? ` ${plural(unknownFields, 'line')} with a field the spec does not know: every client ignores ${unknownFields === 1 ? 'it' : 'them'}.`
      : ''
  if (found.length === 0)
    return {
      ...base,
      status: 'pass',
      evidence,
      explanation: `Lines end with LF or CRLF, ids are plain, the stream is UTF-8 without a byte order mark.${unknownNote}`,
      fixes: [],
    }
  return {
    ...base,
    status: 'warn',
    evidence,
    explanation: found.map((risk) => risk.says(countOf(risk.code))).join(' ') + unknownNote,
    fixes: found.map((risk) => risk.fix),
  }
}
