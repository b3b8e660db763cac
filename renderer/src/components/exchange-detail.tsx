import { useState } from 'react'
import { redactUrl } from '../../../shared/redact-headers.ts'
import type { RowRecord } from '../store/event-log.ts'
import { HeadersTable } from './headers-table.tsx'
import { TimingTable } from './timing-table.tsx'
import { TlsDetail } from './tls-detail.tsx'
import { redirectChain } from '../../../shared/sse/redirect-chain.ts'

type RequestRow = Extract<RowRecord, { kind: 'request' }>
type OpenRow = Extract<RowRecord, { kind: 'open' }>

/** A URL with its tokens masked (?access_token=, a password) unless revealed. */
const shownUrl = (url: string, isRevealed: boolean) => (isRevealed ? url : redactUrl(url))

/** A request row: what this attempt sent, secrets masked until revealed (the URL's tokens too). */
export function RequestDetail({ row }: { row: RequestRow }) {
  const [isRevealed, setRevealed] = useState(false)
  return (
    <>
      <h3>Sent</h3>
      <p className="exchange-line">
        <code>
          {row.method} {shownUrl(row.url, isRevealed)}
        </code>
        {row.hasBody && <span className="muted"> with a body</span>}
      </p>
      <HeadersTable
        headers={row.headers}
        label="Headers sent"
        isRevealed={isRevealed}
        onReveal={setRevealed}
        hasOtherSecrets={redactUrl(row.url) !== row.url}
      />
    </>
  )
}

/** An open row: the response head this attempt got, cookies and tokens masked until revealed. */
export function ResponseDetail({ row }: { row: OpenRow }) {
  const [isRevealed, setRevealed] = useState(false)
  return (
    <>
      <h3>Received</h3>
      <p className="exchange-line">
        <code>
          HTTP/{row.httpVersion} {row.status} {row.statusText}
        </code>{' '}
        <span className="muted">
          in {Math.round(row.timeToHeadersMs)} ms
          {row.remoteAddress && ` from ${row.remoteAddress}`}
          {row.proxy && ` via proxy ${row.proxy}`}
        </span>
      </p>
      {row.isRedirected && (
        <p className="exchange-line" aria-label="Redirects">
          redirected: <code>{redirectChain(row, (url) => shownUrl(url, isRevealed))}</code>
        </p>
      )}
      <HeadersTable
        headers={row.headers}
        label="Headers received"
        isRevealed={isRevealed}
        onReveal={setRevealed}
        hasOtherSecrets={
          row.isRedirected && redirectChain(row, redactUrl) !== redirectChain(row, (url) => url)
        }
      />
      <TimingTable open={row} />
      {row.tls && <TlsDetail tls={row.tls} />}
    </>
  )
}
