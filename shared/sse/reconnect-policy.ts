import { DEFAULT_RETRY_MS, type ReconnectPolicy } from './stream-request.ts'

/** The policy EventSource follows: reconnect forever after the server's `retry` (or a default) delay. */
export const SPEC_RECONNECT_POLICY: ReconnectPolicy = { isEnabled: true }

/** Whether another reconnect is allowed after `reconnectsSoFar` of them. */
export function mayReconnect(policy: ReconnectPolicy, reconnectsSoFar: number): boolean {
  if (!policy.isEnabled) return false
  return policy.maxAttempts === undefined || reconnectsSoFar < policy.maxAttempts
}

/**
 * Delay before the next reconnect. [spec] "Wait a delay equal to the reconnection time of the event
 * source" — constant; the optional backoff doubles it per consecutive failure, with jitter in [50%, 100%].
 */
export function reconnectDelayMs(
  policy: ReconnectPolicy,
  retryMs: number,
  consecutiveFailures: number,
  random: () => number,
): number {
  if (!policy.backoff || consecutiveFailures === 0) return retryMs
  const grown = Math.min(policy.backoff.maxMs, retryMs * 2 ** Math.min(consecutiveFailures, 30))
  return policy.backoff.hasJitter ? Math.round(grown * (0.5 + random() / 2)) : grown
}

/** The first reconnection time: the policy's initial value, else the spec's "few seconds". */
export function initialRetryMs(policy: ReconnectPolicy): number {
  return policy.initialRetryMs ?? DEFAULT_RETRY_MS
}
