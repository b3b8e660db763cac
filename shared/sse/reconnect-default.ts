/**
 * Whether a request reconnects unless told otherwise. EventSource only ever sends GET, and reconnects
 * it; a request with another method sent again would repeat what it asked for (an LLM's prompt answered
 * and billed again, every few seconds), so it reconnects only when asked to.
 */
export function isReconnectedByDefault(method: string | undefined): boolean {
  return (method ?? 'GET').toUpperCase() === 'GET'
}
