/** The stable ids of the conformance checks (CI reports key on them). */
export type CheckId =
  | 'status'
  | 'content-type'
  | 'cache-control'
  | 'compression'
  | 'content-length'
  | 'buffering'
  | 'heartbeat'
  | 'idle-timeout'
  | 'ids'
  | 'resume'
  | 'retry'
  | 'cors'

export type FindingStatus = 'pass' | 'warn' | 'fail' | 'skip'

/** Measured values a finding judged by: numbers, header values, timings. */
export type Evidence = Record<string, string | number | boolean | null>

/** A concrete fix for one kind of server or proxy. */
export type Fix = { target: string; hint: string }

/** One check's verdict, with the evidence it rests on; never claims more than the evidence shows. */
export type Finding = {
  id: CheckId
  title: string
  status: FindingStatus
  evidence: Evidence
  explanation: string
  fixes: Fix[]
}

export const CHECK_ORDER: readonly CheckId[] = [
  'status',
  'content-type',
  'cache-control',
  'compression',
  'content-length',
  'buffering',
  'heartbeat',
  'idle-timeout',
  'ids',
  'resume',
  'retry',
  'cors',
]
