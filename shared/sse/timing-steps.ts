import type { ConnectionSetup } from './fetch-like.ts'

/** One step from sending a request to its response head, as browsers' network panels name them. */
export type TimingStep = { name: 'DNS' | 'connect' | 'TLS' | 'wait'; ms: number }

/**
 * The steps that made up an open record's time to headers: the connection's DNS lookup, TCP connect
 * and TLS handshake (when it was made for this request), then the wait for the response head — the
 * rest, request sent to head read, which is the server's (and any proxy's) time. Undefined when the
 * transport did not say how its connection was set up.
 */
export function timingSteps(open: {
  timeToHeadersMs: number
  connectionSetup?: ConnectionSetup
}): TimingStep[] | undefined {
  const setup = open.connectionSetup
  if (!setup) return undefined
  const steps: TimingStep[] = []
  if (setup.dnsMs !== undefined) steps.push({ name: 'DNS', ms: setup.dnsMs })
  if (setup.tcpMs !== undefined) steps.push({ name: 'connect', ms: setup.tcpMs })
  if (setup.tlsMs !== undefined) steps.push({ name: 'TLS', ms: setup.tlsMs })
  const setupMs = steps.reduce((sum, step) => sum + step.ms, 0)
  steps.push({ name: 'wait', ms: Math.max(0, open.timeToHeadersMs - setupMs) })
  return steps
}

/** A step's duration as read beside the others: a decimal below 10 ms (loopback set-ups take ~1 ms). */
export function formatStepMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`
}

/** The steps in a phrase: "DNS 2.1 ms, connect 0.4 ms, TLS 3.2 ms, wait 11 ms" (a reused connection says so). */
export function timingPhrase(open: { timeToHeadersMs: number; connectionSetup?: ConnectionSetup }): string {
  const steps = timingSteps(open)
  if (!steps) return ''
  const phrase = steps.map((step) => `${step.name} ${formatStepMs(step.ms)}`).join(', ')
  return open.connectionSetup!.isReused ? `reused connection, ${phrase}` : phrase
}
