import { isReconnectedByDefault } from '../sse/reconnect-default.ts'
import type { StreamRequest } from '../sse/stream-request.ts'
import { INSPECTOR_FLAGS, requestWords, shellQuote } from './curl-command.ts'

/**
 * The reconnect options of `watch` (and `record`) for a request's policy: a GET's spec default needs
 * none; another method reconnects only when asked (`--reconnect`).
 */
function reconnectWords(request: StreamRequest): string[] {
  const { reconnect } = request
  if (!reconnect) return []
  if (!reconnect.isEnabled) return ['--no-reconnect']
  const words: string[] = isReconnectedByDefault(request.method) ? [] : ['--reconnect']
  if (reconnect.maxAttempts !== undefined) words.push('--max-reconnects', String(reconnect.maxAttempts))
  if (reconnect.initialRetryMs !== undefined) words.push('--retry-ms', String(reconnect.initialRetryMs))
  if (reconnect.backoff) words.push('--backoff', String(reconnect.backoff.maxMs))
  if (reconnect.isRetryingHttpErrors) words.push('--retry-http-errors')
  return words
}

/**
 * The request as an `sse-inspector watch` or `check` command line, with `extraArgs` after it (a
 * check's --duration…): what the app does, for a terminal or a CI job. Secrets are redacted unless
 * `isShowingSecrets`. A check observes one connection at a time, so it gets no reconnect options.
 */
export function toInspectorCommand(
  command: 'watch' | 'check',
  request: StreamRequest,
  options: { extraArgs?: readonly string[]; isShowingSecrets?: boolean } = {},
): string {
  return [
    'sse-inspector',
    command,
    ...requestWords(request, INSPECTOR_FLAGS, options.isShowingSecrets),
    ...(command === 'watch' ? reconnectWords(request) : []),
    ...(options.extraArgs ?? []).map(shellQuote),
  ].join(' ')
}
