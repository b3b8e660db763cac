import { connectDraft } from '../actions.ts'
import { useApi } from '../api-context.ts'
import { pickFileToOpen } from './open-file-input.tsx'
import { useDemoServer } from './use-demo-server.ts'
import { useInspector } from '../store/inspector-store.ts'
import { EMPTY_DRAFT, headerRow, type RequestDraft } from '../store/request-draft.ts'

const FEATURED: { path: string; query?: string; label: string }[] = [
  { path: '/ticker', query: '?interval=500', label: 'Ticker: ids, retry, heartbeats' },
  { path: '/v1/chat/completions', label: 'LLM chat completion (POST + bearer)' },
  { path: '/api/chat', label: 'AI SDK chat (useChat stream)' },
  { path: '/trickle', label: 'Trickle: cut inside CRLF and UTF-8' },
  { path: '/buffered', query: '?interval=100&flush=2000', label: 'Buffered: bursts every 2 s' },
  { path: '/firehose', query: '?rate=2000&count=100000', label: 'Firehose: 2k events/s' },
  { path: '/invalid-retry', label: 'Invalid retry values' },
  { path: '/wrong-content-type', label: 'Wrong Content-Type' },
  { path: '/status/204', label: '204: stop reconnecting' },
]

/** A demo POST of JSON, as an LLM client sends it; not sent again when its answer ends. */
const postDraft = (url: string, body: object, extra: Partial<RequestDraft> = {}): RequestDraft => ({
  ...EMPTY_DRAFT,
  url,
  method: 'POST',
  headers: [headerRow('Content-Type', 'application/json')],
  body: JSON.stringify(body, null, 2),
  isReconnectEnabled: false,
  ...extra,
})

function draftFor(url: string, path: string): RequestDraft {
  if (path === '/v1/chat/completions')
    return postDraft(
      url,
      { model: 'demo', stream: true, messages: [{ role: 'user', content: 'What is SSE?' }] },
      { bearerToken: 'demo-token' },
    )
  if (path === '/api/chat')
    return postDraft(url, {
      messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: 'What is SSE?' }] }],
    })
  return { ...EMPTY_DRAFT, url }
}

/** First run: one-click examples against the built-in demo server (started on demand). */
export function Examples() {
  const api = useApi()
  const { demo, failure } = useDemoServer()

  return (
    <section className="examples" aria-label="Examples">
      <h2>Inspect a Server-Sent Events stream</h2>
      <p>
        Paste a URL above and press <kbd>Enter</kbd>, or try one of the built-in demo streams. Every event,
        comment, retry hint, warning and network chunk shows up below. Press <kbd>?</kbd> for the keyboard
        shortcuts.
      </p>
      <p>
        <button type="button" className="ghost" onClick={pickFileToOpen}>
          Open a recording…
        </button>{' '}
        <span className="muted">(a recording, HAR or SSE text file)</span>
      </p>
      {!demo && <p>{failure ?? 'Starting the demo server…'}</p>}
      {demo && (
        <ul>
          {FEATURED.map(({ path, query, label }) => (
            <li key={path}>
              <button
                type="button"
                onClick={() => {
                  useInspector.setState({ draft: draftFor(`${demo.url}${path}${query ?? ''}`, path) })
                  void connectDraft(api)
                }}
              >
                {label}
              </button>
              <code>{path}</code>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
