import { isSecretHeader, redactBody, redactUrl, redactValue } from '../redact-headers.ts'
import { withUrlCredentialsMoved } from '../sse/request-headers.ts'
import type { StreamRequest } from '../sse/stream-request.ts'

/**
 * The request as JavaScript that streams it with fetch and prints the body as it arrives (Node 18+,
 * Deno, a browser console): what a developer pastes into a test or a bug report. Secrets (headers, URL
 * tokens, body keys) are redacted unless `isShowingSecrets`. What fetch cannot express (a proxy, TLS
 * options) is said in a comment.
 */
export function toFetchSnippet(request: StreamRequest, options: { isShowingSecrets?: boolean } = {}): string {
  const show = options.isShowingSecrets === true
  const method = (request.method ?? 'GET').toUpperCase()
  const headers: Record<string, string> = { Accept: 'text/event-stream' }
  // fetch refuses a URL with a login in it: it goes as Basic auth, as the inspector sent it.
  const target = withUrlCredentialsMoved(request.url, request.headers ?? [])
  for (const [name, value] of target.headers)
    headers[name] = isSecretHeader(name) && !show ? redactValue(value) : value
  if (request.lastEventId) headers['Last-Event-ID'] = request.lastEventId
  const init: Record<string, unknown> = { ...(method !== 'GET' ? { method } : {}), headers }
  if (request.body !== undefined) init.body = show ? request.body : redactBody(request.body)
  const transport = request.transport
  const notes = [
    transport?.proxyUrl && `through the proxy ${show ? transport.proxyUrl : redactUrl(transport.proxyUrl)}`,
    transport?.isInsecureTls && 'accepting any TLS certificate',
    (transport?.caFile || transport?.certFile) && 'with the TLS files of the request',
  ].filter(Boolean)
  return [
    ...(notes.length > 0 ? [`// The inspector sent this ${notes.join(', ')}: fetch cannot say so.`] : []),
    `const response = await fetch(${JSON.stringify(show ? target.url : redactUrl(target.url))}, ${JSON.stringify(init, null, 2)})`,
    'console.log(response.status, response.headers.get("content-type"))',
    'const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()',
    'for (;;) {',
    '  const { done, value } = await reader.read()',
    '  if (done) break',
    '  console.log(value)',
    '}',
  ].join('\n')
}
