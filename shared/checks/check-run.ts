import type { EventRecord, StreamRecord } from '../sse/stream-records.ts'
import type { PreflightAnswer, PreflightAsk } from './cors-preflight.ts'

/** Everything the checks analyse: the records of the observation, and of the active probes if run. */
export type CheckRun = {
  url: string
  /** The main observation: one connection, no reconnects, for `durationMs`. */
  records: readonly StreamRecord[]
  durationMs: number
  /** A second connection sent Last-Event-ID = `sentId`, an id seen in the observation. */
  resume?: { sentId: string; records: readonly StreamRecord[] }
  /** An opt-in longer observation of one connection, to see a proxy's idle timeout. */
  idle?: { records: readonly StreamRecord[]; durationMs: number; isLimitReached?: boolean }
  /** The Origin the request carried, for the CORS check. */
  origin?: string
  /** The preflight (OPTIONS) a browser sends first from that origin's page, when the request needs one. */
  preflight?: { ask: PreflightAsk; answer: PreflightAnswer }
  /** The user stopped the run: what was seen is analysed, the probes not yet begun were skipped. */
  isStoppedEarly?: boolean
  /** The observation stopped at its limit (ObservationLimit) before its time was up: a fast stream. */
  isLimitReached?: boolean
}

/**
 * What one observation keeps at most: it stops at either, before its time is up. A firehose watched for
 * 20 s is tens of millions of records; kept whole, they took the process past its heap and crashed it.
 */
export type ObservationLimit = { records: number; bodyBytes: number }
export const OBSERVATION_LIMIT: ObservationLimit = { records: 500_000, bodyBytes: 256 * 1024 * 1024 }

/** Says, for an explanation, that an observation stopped at its limit after `durationMs` (else ''). */
export function limitNote(isLimitReached: boolean | undefined, durationMs: number): string {
  if (!isLimitReached) return ''
  const seconds = Math.round(durationMs / 100) / 10
  return ` (the stream is so fast that the observation stopped at its size limit after ${seconds} s, to bound memory)`
}

/**
 * The method of an observation that is not a GET (undefined for a GET): a POST stream (an LLM API's) is one
 * answer read with fetch, as EventSource sends only GET; nothing reconnects to it or resumes it.
 */
export function answerMethodOf(run: CheckRun): string | undefined {
  const method = recordsOf(run.records, 'request')[0]?.method ?? 'GET'
  return method === 'GET' ? undefined : method
}

/** The records of one kind. */
export function recordsOf<K extends StreamRecord['kind']>(
  records: readonly StreamRecord[],
  kind: K,
): Extract<StreamRecord, { kind: K }>[] {
  return records.filter((r): r is Extract<StreamRecord, { kind: K }> => r.kind === kind)
}

export function eventsOf(records: readonly StreamRecord[]): EventRecord[] {
  return recordsOf(records, 'event')
}

/** The send time an event says it carries ({"sentAtMs": …} in JSON data, as the probe and demo send). */
export function sentAtMsOf(event: EventRecord): number | undefined {
  const match = /"sentAtMs"\s*:\s*(\d+(?:\.\d+)?)/.exec(event.data)
  return match ? Number(match[1]) : undefined
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!
}

export const round = (value: number, digits = 0): number => Number(value.toFixed(digits))
