import { useEffect, useState } from 'react'
import { DEFAULT_FIRST_BYTE_TIMEOUT_MS } from '../../../shared/sse/stream-request.ts'
import { useApi } from '../api-context.ts'
import { formatBytes, formatDuration, visibleId } from '../format.ts'
import { logOf, useInspector } from '../store/inspector-store.ts'
import { toCurl } from '../../../shared/curl/curl-command.ts'
import { CopyButton } from './copy-button.tsx'
import { HeadersTable } from './headers-table.tsx'
import { ReplayControls } from './replay-controls.tsx'
import { plural } from '../../../shared/plural.ts'
import { showFailure } from '../show-failure.ts'
import type { TlsFacts } from '../../../shared/sse/fetch-like.ts'
import { validityLeft } from '../certificate-validity.ts'

/** Date.now(), re-rendering the caller four times a second. */
function useNowMs(): number {
  const [nowMs, setNowMs] = useState(Date.now)
  useEffect(() => {
    const timer = setInterval(() => setNowMs(Date.now()), 250)
    return () => clearInterval(timer)
  }, [])
  return nowMs
}

/** How long a connection has waited for its response head, counting up, and when it will give up. */
function WaitingForResponse({ sinceMs, limitMs }: { sinceMs: number; limitMs: number }) {
  const seconds = Math.max(0, (useNowMs() - sinceMs) / 1000)
  if (seconds < 0.5) return null // most responses come at once: no flicker
  return (
    <span className="detail" role="timer">
      no response yet · {seconds.toFixed(1)} s
      {limitMs > 0 && <span className="muted"> (gives up at {limitMs / 1000} s)</span>}
    </span>
  )
}

/** When a retrying connection tries again, counting down (Reconnect goes at once). */
function ReconnectCountdown({ attempt, atMs }: { attempt: number; atMs: number }) {
  // A server may ask for days (retry: 9999999999): said in days, not in millions of seconds.
  const leftMs = Math.max(0, atMs - useNowMs())
  return (
    <span className="detail" role="timer">
      reconnect #{attempt} in {leftMs < 60_000 ? `${(leftMs / 1000).toFixed(1)} s` : formatDuration(leftMs)}
    </span>
  )
}

/** The TLS version, and what about the certificate needs a look: not trusted, or ending soon. */
function TlsBadge({ tls }: { tls: TlsFacts }) {
  const left = tls.certificate && validityLeft(tls.certificate.validTo, Date.now())
  const problem = tls.untrustedBecause
    ? `certificate not trusted (${tls.untrustedBecause})`
    : left?.level
      ? `certificate ${left.text}`
      : undefined
  return (
    <span title="The response row's detail shows the certificate">
      <span className="muted"> over {tls.protocol}</span>
      {problem && <span className="level-warn">, {problem}</span>}
    </span>
  )
}

/** The active connection: state, response head, counters, reconnect controls. */
export function ConnectionBar() {
  const api = useApi()
  const view = useInspector((s) => (s.activeId ? s.connections[s.activeId] : undefined))
  const [resumeId, setResumeId] = useState('')
  const [isShowingHeaders, setShowingHeaders] = useState(false)
  const [isRevealed, setRevealed] = useState(false)
  const [note, setNote] = useState('')
  if (!view) return null
  const log = logOf(view.id)
  const eventCount = log?.eventCount ?? 0
  const contentType = view.responseHeaders?.find(([name]) => name === 'content-type')?.[1]
  return (
    <section className="connection-bar" aria-label="Connection">
      <span className={`state state-${view.state}`} role="status">
        {view.state}
      </span>
      {view.detail && view.state !== 'open' && <span className="detail">{view.detail}</span>}
      {view.recordingFailure && (
        <span className="lag" role="note" title={view.recordingFailure.message}>
          not recording: {view.recordingFailure.reason}
        </span>
      )}
      {view.state === 'retrying' && view.nextAttemptAtMs !== undefined && !view.recordingName && (
        <ReconnectCountdown attempt={view.reconnects} atMs={view.nextAttemptAtMs} />
      )}
      {view.state === 'connecting' && !view.recordingName && (
        <WaitingForResponse
          sinceMs={view.stateSinceMs}
          limitMs={view.request.transport?.firstByteTimeoutMs ?? DEFAULT_FIRST_BYTE_TIMEOUT_MS}
        />
      )}
      {view.status !== undefined && (
        <span>
          HTTP/{view.httpVersion} {view.status} {view.statusText} {contentType && <code>{contentType}</code>}
          {view.remoteAddress && <span className="muted"> from {view.remoteAddress}</span>}
          {view.tls && <TlsBadge tls={view.tls} />}
          {view.proxy && <span className="muted"> via proxy {view.proxy}</span>}
          {view.redirects !== undefined && view.redirects !== 0 && (
            <span className="muted" title="The response row's detail shows the chain">
              {' '}
              after {view.redirects === 'some' ? 'redirects' : plural(view.redirects, 'redirect')}
            </span>
          )}
        </span>
      )}
      <span>
        <b>{eventCount}</b> {eventCount === 1 ? 'event' : 'events'}
      </span>
      <span>{view.eventsPerSecond}/s</span>
      {view.readingBack && (
        <span className="lag" role="note">
          reading back after the reload: {eventCount.toLocaleString()} of{' '}
          {view.readingBack.ofEvents.toLocaleString()} events
        </span>
      )}
      {(view.lagMs ?? 0) > 0 && (
        <span className="lag" role="note">
          display {((view.lagMs ?? 0) / 1000).toFixed(1)} s behind, catching up
        </span>
      )}
      {(log?.skippedEvents ?? 0) > 0 && (
        <span
          className="lag"
          role="note"
          title={`This page fell behind the stream: the newest events are shown, the ones in between were counted but not sent to it.${view.isRecorded ? ' The recording has them all.' : ' Record the stream to keep them all.'}`}
        >
          {log!.skippedEvents.toLocaleString()} not shown, to keep up
        </span>
      )}
      <span>{formatBytes(log?.byteCount ?? 0)}</span>
      <span>{plural(view.reconnects, 'reconnect')}</span>
      {view.retryMs !== undefined && <span>retry {view.retryMs} ms</span>}
      <span>
        last id{' '}
        <code className="last-id" title={view.lastEventId}>
          {view.lastEventId ? visibleId(view.lastEventId) : '—'}
        </code>
      </span>
      {view.recordingName && <ReplayControls connectionId={view.id} />}
      <span className="spacer" />
      {!view.recordingName && (
        <form
          className="resume"
          onSubmit={(e) => {
            e.preventDefault()
            if (!note.trim()) return
            void api
              .annotate(view.id, note)
              .then(() => setNote(''))
              .catch(showFailure)
          }}
        >
          <input
            aria-label="Note to pin at this moment"
            placeholder="Note…"
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
          <button type="submit" className="ghost">
            Pin note
          </button>
        </form>
      )}
      {/* This tab's request, whatever the editor holds now; secrets redacted (Options copies them too). */}
      <CopyButton text={toCurl(view.request)} label="Copy as curl" />
      {view.responseHeaders && (
        <button
          type="button"
          className="ghost"
          aria-expanded={isShowingHeaders}
          onClick={() => setShowingHeaders(!isShowingHeaders)}
        >
          Response headers
        </button>
      )}
      {!view.recordingName && (
        // A replay has nothing to reconnect to: its controls are Pause, Step, speed and seek.
        <>
          <button
            type="button"
            className="ghost"
            onClick={() => void api.reconnect(view.id).catch(showFailure)}
          >
            Reconnect
          </button>
          <form
            className="resume"
            onSubmit={(e) => {
              e.preventDefault()
              void api.reconnect(view.id, { lastEventId: resumeId }).catch(showFailure)
            }}
          >
            <input
              aria-label="Last-Event-ID to resume from"
              placeholder={view.lastEventId ? visibleId(view.lastEventId) : 'Last-Event-ID'}
              value={resumeId}
              onChange={(e) => setResumeId(e.target.value)}
            />
            <button type="submit" className="ghost">
              Reconnect with ID
            </button>
          </form>
        </>
      )}
      {isShowingHeaders && view.responseHeaders && (
        <HeadersTable
          headers={view.responseHeaders}
          label="Response headers"
          isRevealed={isRevealed}
          onReveal={setRevealed}
        />
      )}
    </section>
  )
}
