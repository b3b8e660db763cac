import { useState } from 'react'
import { CURL_COMMAND, parseCurl, toCurl } from '../../../shared/curl/curl-command.ts'
import { isSecretHeader } from '../../../shared/redact-headers.ts'
import { connectDraft } from '../actions.ts'
import { useApi } from '../api-context.ts'
import { useInspector } from '../store/inspector-store.ts'
import {
  draftProblems,
  fromStreamRequest,
  headerRow,
  toStreamRequest,
  type HeaderRow,
  type RequestDraft,
} from '../store/request-draft.ts'
import { NumberInput } from './number-input.tsx'
import { loadRequests, saveNamed, type SavedRequest } from '../store/request-library.ts'
import { toFetchSnippet } from '../../../shared/curl/fetch-snippet.ts'
import { toInspectorCommand } from '../../../shared/curl/inspector-command.ts'
import { showFailure } from '../show-failure.ts'
import { isReconnectedByDefault } from '../../../shared/sse/reconnect-default.ts'

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']

/** What would go wrong with the body as typed: a GET drops it; JSON that does not parse; else Format. */
function BodyNote({
  method,
  body,
  onFormat,
}: {
  method: string
  body: string
  onFormat: (body: string) => void
}) {
  if (body.trim() === '') return null
  if (method === 'GET' || method === 'HEAD') {
    return (
      <p className="field-note" role="note">
        {method} sends no body: this one stays here. Choose POST to send it.
      </p>
    )
  }
  if (!/^\s*[[{]/.test(body)) return null // not meant as JSON
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch (error) {
    return (
      <p className="field-note" role="note">
        Not valid JSON: {(error as Error).message}
      </p>
    )
  }
  const formatted = JSON.stringify(parsed, null, 2)
  if (formatted === body) return null
  return (
    <button type="button" className="ghost" onClick={() => onFormat(formatted)}>
      Format JSON
    </button>
  )
}

function HeaderRowEditor({
  row,
  onChange,
  onRemove,
}: {
  row: HeaderRow
  onChange: (row: HeaderRow) => void
  onRemove: () => void
}) {
  const [isRevealed, setRevealed] = useState(false)
  const isSecret = isSecretHeader(row.name)
  return (
    <div className="header-row">
      <input
        type="checkbox"
        aria-label={`Send header ${row.name || 'row'}`}
        checked={row.isEnabled}
        onChange={(e) => onChange({ ...row, isEnabled: e.target.checked })}
      />
      <input
        aria-label="Header name"
        placeholder="Name"
        value={row.name}
        onChange={(e) => onChange({ ...row, name: e.target.value })}
      />
      <input
        aria-label="Header value"
        placeholder="Value"
        type={isSecret && !isRevealed ? 'password' : 'text'}
        value={row.value}
        onChange={(e) => onChange({ ...row, value: e.target.value })}
      />
      {isSecret && (
        <button type="button" className="ghost" onClick={() => setRevealed(!isRevealed)}>
          {isRevealed ? 'Hide' : 'Reveal'}
        </button>
      )}
      <button
        type="button"
        className="ghost"
        aria-label={`Remove header ${row.name || 'row'}`}
        onClick={onRemove}
      >
        ✕
      </button>
    </div>
  )
}

/** URL, method, headers, body, auth and reconnect options; Connect / Disconnect. */
export function RequestEditor() {
  const api = useApi()
  const draft = useInspector((s) => s.draft)
  const setDraft = useInspector((s) => s.setDraft)
  const active = useInspector((s) => (s.activeId ? s.connections[s.activeId] : undefined))
  const [isExpanded, setExpanded] = useState(false)
  const [saved, setSaved] = useState<SavedRequest[]>(loadRequests)
  const [saveName, setSaveName] = useState('')
  const [copied, setCopied] = useState('')

  const onPaste = (event: React.ClipboardEvent<HTMLInputElement>) => {
    const text = event.clipboardData.getData('text')
    if (!CURL_COMMAND.test(text)) return
    event.preventDefault()
    try {
      useInspector.setState({ draft: fromStreamRequest(parseCurl(text)), error: undefined })
      setExpanded(true)
    } catch (error) {
      useInspector.getState().setError(`Could not read the curl command: ${(error as Error).message}`)
    }
  }
  const copyCurl = (isShowingSecrets: boolean) =>
    copyText(
      toCurl(toStreamRequest(draft), { isShowingSecrets }),
      isShowingSecrets ? 'with secrets' : 'redacted',
    )
  const copyText = (text: string, what: string) =>
    void navigator.clipboard?.writeText(text).then(() => {
      setCopied(what)
      setTimeout(() => setCopied(''), 1500)
    })
  const isLive =
    active !== undefined &&
    (active.state === 'connecting' || active.state === 'open' || active.state === 'retrying')
  // An edited URL or method is somewhere new to go (a new tab), as in an address bar; else the button
  // stops the live connection the editor shows.
  const draftRequest = toStreamRequest(draft)
  const isDisconnecting =
    isLive &&
    draftRequest.url === active.request.url &&
    draftRequest.method === (active.request.method ?? 'GET')

  const problems = draftProblems(draft)
  const submit = (event: React.FormEvent) => {
    event.preventDefault()
    if (isDisconnecting) void api.disconnect(active.id).catch(showFailure)
    else {
      if (Object.keys(problems).length > 0) setExpanded(true) // to show the fields the banner names
      void connectDraft(api)
    }
  }
  const setRow = (row: HeaderRow) =>
    setDraft({ headers: draft.headers.map((r) => (r.id === row.id ? row : r)) })

  return (
    <form className="request-editor" onSubmit={submit} aria-label="Request">
      <div className="url-line">
        <select
          aria-label="Method"
          value={draft.method}
          // A method other than GET reconnects only when asked to (the checkbox in Options).
          onChange={(e) =>
            setDraft({ method: e.target.value, isReconnectEnabled: isReconnectedByDefault(e.target.value) })
          }
        >
          {METHODS.map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
        <label className="visually-hidden" htmlFor="url">
          URL
        </label>
        <input
          id="url"
          className="url"
          placeholder="https://example.com/stream"
          value={draft.url}
          spellCheck={false}
          title="Paste a curl command here to fill the whole request"
          onPaste={onPaste}
          onChange={(e) => setDraft({ url: e.target.value })}
        />
        <button type="submit" className={isDisconnecting ? 'danger' : 'primary'}>
          {isDisconnecting ? 'Disconnect' : 'Connect'}
        </button>
        <button
          type="button"
          className="ghost"
          aria-expanded={isExpanded}
          onClick={() => setExpanded(!isExpanded)}
        >
          {isExpanded ? 'Hide options' : 'Options'}
        </button>
      </div>
      {isExpanded && (
        <div className="request-options">
          <fieldset className="wide">
            <legend>Headers</legend>
            {draft.headers.map((row) => (
              <HeaderRowEditor
                key={row.id}
                row={row}
                onChange={setRow}
                onRemove={() => setDraft({ headers: draft.headers.filter((r) => r.id !== row.id) })}
              />
            ))}
            <button
              type="button"
              className="ghost"
              onClick={() => setDraft({ headers: [...draft.headers, headerRow()] })}
            >
              Add header
            </button>
          </fieldset>
          <fieldset>
            <legend>Auth and body</legend>
            <label>
              Bearer token
              <input
                type="password"
                value={draft.bearerToken}
                onChange={(e) => setDraft({ bearerToken: e.target.value })}
              />
            </label>
            <div className="header-row">
              <label>
                Basic user
                <input value={draft.basicUser} onChange={(e) => setDraft({ basicUser: e.target.value })} />
              </label>
              <label>
                Basic password
                <input
                  type="password"
                  value={draft.basicPassword}
                  onChange={(e) => setDraft({ basicPassword: e.target.value })}
                />
              </label>
            </div>
            <label>
              Body
              <textarea
                rows={3}
                value={draft.body}
                spellCheck={false}
                onChange={(e) => setDraft({ body: e.target.value })}
              />
            </label>
            <BodyNote method={draft.method} body={draft.body} onFormat={(body) => setDraft({ body })} />
          </fieldset>
          <fieldset>
            <legend>Requests</legend>
            <select
              aria-label="Recent and saved requests"
              value=""
              onChange={(e) => {
                const chosen = saved[Number(e.target.value)]
                if (chosen) setDraft(fromStreamRequest(chosen.request))
              }}
            >
              <option value="">Recent and saved…</option>
              {saved.map((entry, i) => (
                <option key={i} value={i}>
                  {entry.name ? `★ ${entry.name}` : `${entry.request.method ?? 'GET'} ${entry.request.url}`}
                </option>
              ))}
            </select>
            <div className="header-row">
              <input
                aria-label="Name to save as"
                placeholder="Name"
                value={saveName}
                onChange={(e) => setSaveName(e.target.value)}
              />
              <button
                type="button"
                className="ghost"
                disabled={!saveName.trim() || !draft.url.trim()}
                onClick={() => {
                  setSaved(saveNamed(saveName.trim(), toStreamRequest(draft)))
                  setSaveName('')
                }}
              >
                Save
              </button>
            </div>
            <div className="header-row">
              <button type="button" className="ghost" onClick={() => copyCurl(false)}>
                Copy as curl
              </button>
              <button type="button" className="ghost" onClick={() => copyCurl(true)}>
                …with secrets
              </button>
              <button
                type="button"
                className="ghost"
                title="JavaScript that streams this request with fetch (secrets redacted)"
                onClick={() => copyText(toFetchSnippet(toStreamRequest(draft)), 'fetch, redacted')}
              >
                Copy as fetch
              </button>
              <button
                type="button"
                className="ghost"
                title="The same request as an sse-inspector watch command, for a terminal (secrets redacted)"
                onClick={() =>
                  copyText(toInspectorCommand('watch', toStreamRequest(draft)), 'command line, redacted')
                }
              >
                Copy as CLI
              </button>
              {copied && <span aria-live="polite">Copied ({copied})</span>}
            </div>
          </fieldset>
          <fieldset>
            <legend>Connection</legend>
            <label>
              Initial Last-Event-ID
              <input value={draft.lastEventId} onChange={(e) => setDraft({ lastEventId: e.target.value })} />
            </label>
            <label>
              Max reconnects (empty: unlimited)
              <NumberInput
                inputMode="numeric"
                value={draft.maxReconnects}
                problem={problems.maxReconnects}
                onChange={(value) => setDraft({ maxReconnects: value })}
              />
            </label>
            <label title="Give up connecting (TCP and TLS) after this long; 0: no limit">
              Connect timeout, s (empty: 10)
              <NumberInput
                value={draft.connectTimeout}
                problem={problems.connectTimeout}
                onChange={(value) => setDraft({ connectTimeout: value })}
              />
            </label>
            <label title="Give up when the response headers have not come this long after the request; 0: no limit">
              First-byte timeout, s (empty: 300)
              <NumberInput
                value={draft.firstByteTimeout}
                problem={problems.firstByteTimeout}
                onChange={(value) => setDraft({ firstByteTimeout: value })}
              />
            </label>
            <label title="A line or event larger than this fails the connection (a hostile or broken stream cannot exhaust memory)">
              Max event size, MiB (empty: 16)
              <NumberInput
                value={draft.maxEventMiB}
                problem={problems.maxEventMiB}
                onChange={(value) => setDraft({ maxEventMiB: value })}
              />
            </label>
            <DraftCheckbox
              field="isReconnectEnabled"
              title="When the stream ends or drops, connect again after its retry delay, sending the last event id, as EventSource does for its GET. Off by default for other methods: each reconnect sends the request and its body again (an LLM prompt answered, and billed, again)"
            >
              Reconnect like EventSource
            </DraftCheckbox>
            <DraftCheckbox
              field="isKeepingCookies"
              title="Send the cookies the responses set (Set-Cookie) on the reconnects, as a browser does: a load balancer's affinity cookie keeps a resumed stream on its backend"
            >
              Keep cookies across reconnects
            </DraftCheckbox>
            <DraftCheckbox
              field="isRetryingHttpErrors"
              title="EventSource gives up on any status but 200. On, a 408, 429, 500, 502, 503 or 504 is asked again like a dropped connection, after its Retry-After when it sends one (a rate limit, a deploy)"
            >
              Retry 429 and 5xx (after Retry-After)
            </DraftCheckbox>
            <DraftCheckbox field="isRecording">Record into the library</DraftCheckbox>
          </fieldset>
          <fieldset>
            <legend>Network and TLS</legend>
            <label>
              Proxy
              <input
                placeholder="http://127.0.0.1:3128 or socks5://…"
                value={draft.proxyUrl}
                onChange={(e) => setDraft({ proxyUrl: e.target.value })}
              />
            </label>
            <label title="When Proxy is empty, the backend's https_proxy/http_proxy apply, except for these hosts">
              No proxy for (hosts, * for all)
              <input
                placeholder="internal.example.com, *"
                value={draft.noProxy}
                onChange={(e) => setDraft({ noProxy: e.target.value })}
              />
            </label>
            <label title="Connect to ADDRESS whenever the URL names HOST:PORT, keeping HOST for the Host header and TLS (as curl --resolve)">
              Resolve (host:port:address, …)
              <input
                placeholder="api.example.com:443:10.0.0.5"
                value={draft.resolve}
                onChange={(e) => setDraft({ resolve: e.target.value })}
              />
            </label>
            <label>
              Extra CA file (PEM path)
              <input
                placeholder="/etc/ssl/my-ca.pem"
                value={draft.caFile}
                onChange={(e) => setDraft({ caFile: e.target.value })}
              />
            </label>
            <label>
              Client certificate (PEM path, mutual TLS)
              <input
                placeholder="/path/to/client.pem"
                value={draft.certFile}
                onChange={(e) => setDraft({ certFile: e.target.value })}
              />
            </label>
            <label>
              Client key (PEM path, if not in the certificate file)
              <input
                placeholder="/path/to/client-key.pem"
                value={draft.keyFile}
                onChange={(e) => setDraft({ keyFile: e.target.value })}
              />
            </label>
            <label>
              Client key passphrase (if the key is encrypted)
              <input
                type="password"
                value={draft.keyPassphrase}
                onChange={(e) => setDraft({ keyPassphrase: e.target.value })}
              />
            </label>
            <DraftCheckbox field="isInsecureTls">Accept any TLS certificate</DraftCheckbox>
            <DraftCheckbox field="isHttp2Allowed">Offer HTTP/2</DraftCheckbox>
          </fieldset>
        </div>
      )}
    </form>
  )
}

/** The draft's yes/no fields. */
type FlagField = {
  [K in keyof RequestDraft]: RequestDraft[K] extends boolean ? K : never
}[keyof RequestDraft]

/** A yes/no option of the request: a checkbox bound to one field of the draft. */
function DraftCheckbox({ field, title, children }: { field: FlagField; title?: string; children: string }) {
  const isChecked = useInspector((s) => s.draft[field])
  const setDraft = useInspector((s) => s.setDraft)
  return (
    <label className="check" title={title}>
      <input type="checkbox" checked={isChecked} onChange={(e) => setDraft({ [field]: e.target.checked })} />
      {children}
    </label>
  )
}
