/** The stable ids of the conformance checks (CI reports key on them). */
export type CheckId =
  | 'status'
  | 'tls'
  | 'content-type'
  | 'cache-control'
  | 'compression'
  | 'content-length'
  | 'buffering'
  | 'heartbeat'
  | 'stream-end'
  | 'idle-timeout'
  | 'ids'
  | 'resume'
  | 'retry'
  | 'framing'
  | 'cors'

export type FindingStatus = 'pass' | 'warn' | 'fail' | 'skip'

/** Measured values a finding judged by: numbers, header values, timings; null: there was none. */
export type Evidence = Record<string, string | number | boolean | null>

/**
 * One evidence value as reports show it: an absent header or measure says so ("(none)") rather than
 * leaving the evidence empty, which reads as if nothing had been looked at.
 */
export function evidenceText(value: Evidence[string], quoteStrings = false): string {
  if (value === null) return '(none)'
  return typeof value === 'string' && quoteStrings ? JSON.stringify(value) : String(value)
}

/**
 * A concrete fix for one kind of server or proxy; `seenAs`: the response header that names it in the
 * path ("Server: nginx/1.22.1"), when one does (such fixes come first).
 */
export type Fix = { target: string; hint: string; seenAs?: string }

/** One check's verdict, with the evidence it rests on; never claims more than the evidence shows. */
export type Finding = {
  id: CheckId
  title: string
  status: FindingStatus
  evidence: Evidence
  explanation: string
  fixes: Fix[]
  /** Left out of a CI gate by the user (`check --ignore ID`): still reported, never failing the run. */
  isIgnored?: boolean
}

/** Whether a finding fails a gate that fails on `level` (fail, or warn too); ignored ones never do. */
export function failsGate(finding: Finding, level: 'fail' | 'warn'): boolean {
  if (finding.isIgnored) return false
  return finding.status === 'fail' || (level === 'warn' && finding.status === 'warn')
}

export const CHECK_ORDER: readonly CheckId[] = [
  'status',
  'tls',
  'content-type',
  'cache-control',
  'compression',
  'content-length',
  'buffering',
  'heartbeat',
  'stream-end',
  'idle-timeout',
  'ids',
  'resume',
  'retry',
  'framing',
  'cors',
]
