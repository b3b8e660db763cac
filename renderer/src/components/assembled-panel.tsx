import { useMemo, useState } from 'react'
import Markdown from 'react-markdown'
import { LlmAssembler, type Assembled } from '../../../shared/llm/llm-assembler.ts'
import type { EventLog } from '../store/event-log.ts'
import { logOf, useInspector } from '../store/inspector-store.ts'
import { CopyButton } from './copy-button.tsx'
import { plural } from '../../../shared/plural.ts'

type Feed = { assembler: LlmAssembler; nextRow: number; path: string }
/** By the tab's log: a closed tab's assembler (and its text) goes with it (a Map by id kept them all). */
const feeds = new WeakMap<EventLog, Feed>()

/** Feeds the connection's new event rows to its assembler (incremental: each event once). */
function assembledFor(connectionId: string, customPath: string): Assembled | undefined {
  const log = logOf(connectionId)
  if (!log) return undefined
  let feed = feeds.get(log)
  if (!feed || feed.path !== customPath) {
    feed = {
      assembler: new LlmAssembler({ customTextPath: customPath }),
      nextRow: log.evicted,
      path: customPath,
    }
    feeds.set(log, feed)
  }
  for (let i = Math.max(feed.nextRow, log.evicted); i < log.rowCount; i++) {
    const row = log.row(i)
    if (row?.kind === 'event') feed.assembler.push(row)
    else if (row?.kind === 'request') feed.assembler.markRequestSent(row.atMs)
  }
  feed.nextRow = log.rowCount
  return feed.assembler.result
}

function prettyArguments(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}

/** The LLM answer assembled as it streams: text, reasoning, tool calls, finish reason, usage, timing. */
export function AssembledPanel() {
  const activeId = useInspector((s) => s.activeId)
  const version = useInspector((s) => (s.activeId ? (s.connections[s.activeId]?.version ?? 0) : 0))
  const [customPath, setCustomPath] = useState('')
  const [isMarkdown, setMarkdown] = useState(false)
  const result = useMemo(
    () => (activeId ? assembledFor(activeId, customPath) : undefined),
    [activeId, customPath, version],
  )
  if (!result) return null
  const isEmpty = !result.format
  return (
    <section className="assembled" aria-label="Assembled message">
      <h2 className="visually-hidden">Assembled message</h2>
      <label className="custom-path">
        Text delta path (for other formats)
        <input
          placeholder="e.g. choices.0.delta.content"
          value={customPath}
          onChange={(e) => setCustomPath(e.target.value)}
        />
      </label>
      {isEmpty ? (
        <p className="muted">
          No LLM stream recognised yet. OpenAI Chat Completions and Responses, Anthropic Messages, Google
          Gemini and Vercel AI SDK (useChat) streams are assembled automatically; for others, give the JSON
          path of the text delta.
        </p>
      ) : (
        <>
          <dl>
            <dt>format</dt>
            <dd>{result.format}</dd>
            {result.model && (
              <>
                <dt>model</dt>
                <dd>{result.model}</dd>
              </>
            )}
            {result.finishReason && (
              <>
                <dt>finish reason</dt>
                <dd>{result.finishReason}</dd>
              </>
            )}
            {result.usage && (
              <>
                <dt>usage</dt>
                <dd>
                  {result.usage.inputTokens ?? '?'} in / {result.usage.outputTokens ?? '?'} out tokens
                </dd>
              </>
            )}
            {result.timeToFirstTokenMs !== undefined && (
              <>
                <dt title="From the request to the first text or reasoning">time to first token</dt>
                <dd>{Math.round(result.timeToFirstTokenMs)} ms</dd>
              </>
            )}
            {result.tokensPerSecond !== undefined && (
              <>
                <dt>tokens/s</dt>
                <dd>{result.tokensPerSecond.toFixed(1)}</dd>
              </>
            )}
          </dl>
          {result.reasoning && (
            <>
              <h3>Reasoning</h3>
              <pre className="data reasoning">{result.reasoning}</pre>
            </>
          )}
          <h3>
            Message{' '}
            <button type="button" className="ghost" onClick={() => setMarkdown(!isMarkdown)}>
              {isMarkdown ? 'Plain text' : 'Markdown'}
            </button>{' '}
            <CopyButton text={result.text} label="Copy message" />
          </h3>
          {isMarkdown ? (
            // react-markdown renders no raw HTML: a model's output cannot inject markup.
            <div className="data markdown" aria-label="Message rendered">
              <Markdown>{result.text}</Markdown>
            </div>
          ) : (
            <pre className="data" aria-label="Message text">
              {result.text}
            </pre>
          )}
          {result.toolCalls.length > 0 && (
            <>
              <h3>Tool calls</h3>
              {result.toolCalls.map((call) => (
                <div key={call.key} className="tool-call">
                  <b>{call.name || '(unnamed)'}</b> {call.id && <code>{call.id}</code>}
                  <pre className="data">{prettyArguments(call.arguments)}</pre>
                </div>
              ))}
            </>
          )}
          {result.errors.length > 0 && <p role="alert">Stream errors: {result.errors.join('; ')}</p>}
          {result.skipped > 0 && (
            <p className="muted">
              {plural(result.skipped, 'event')} {result.skipped === 1 ? 'was' : 'were'} not part of the
              format.
            </p>
          )}
        </>
      )}
    </section>
  )
}
