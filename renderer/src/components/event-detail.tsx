import { useEffect, useMemo, useState } from 'react'
import type { ChunkBytes } from '../../../shared/api.ts'
import { useApi } from '../api-context.ts'
import { CopyButton } from './copy-button.tsx'
import { RequestDetail, ResponseDetail } from './exchange-detail.tsx'
import { JsonTree } from './json-tree.tsx'
import { BytesDroppedNote, PREVIEW_LENGTH, TruncationNote } from './long-text.tsx'
import { RawText } from './raw-text.tsx'
import { sliceChunks, type RowRecord } from '../store/event-log.ts'
import { logOf, useInspector } from '../store/inspector-store.ts'
import { errorText, visibleControls, visibleId } from '../format.ts'

/**
 * Lines of a raw frame shown at first: each line ending is an element of its own (it is made visible),
 * and an event of 100 000 data lines made 20 000 of them in the 256 KiB preview: 1.2 s to select it.
 */
const PREVIEW_LINES = 2000

/** The text up to and with its `lines`-th line ending (CRLF, CR or LF), or all of it. */
function firstLines(text: string, lines: number): string {
  const ending = /\r\n|\r|\n/g
  for (let n = 0; n < lines; n++) if (!ending.exec(text)) return text
  return text.slice(0, ending.lastIndex)
}

/** The data as JSON, when it is an object or array. */
function parseJson(data: string): { value: unknown } | undefined {
  const trimmed = data.trim()
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined
  try {
    return { value: JSON.parse(trimmed) as unknown }
  } catch {
    return undefined
  }
}

const CARRIED_LF_NOTE =
  'A CRLF blank line was split by the network between its CR and LF. The event before was dispatched at the CR, as browsers do, without waiting for the next chunk; so the LF opens this range.'

function RawFrame({
  connectionId,
  row,
  isShowingAll,
  onShowAll,
}: {
  connectionId: string
  row: Extract<RowRecord, { startByte: number }>
  isShowingAll: boolean
  onShowAll: () => void
}) {
  const api = useApi()
  const chunks = useMemo(() => logOf(connectionId)?.chunksOf(row) ?? [], [connectionId, row])
  const [loaded, setLoaded] = useState<
    { row: RowRecord; bytes: readonly ChunkBytes[] } | { row: RowRecord; error: string }
  >()
  useEffect(() => {
    let isCurrent = true
    api
      .readChunks(connectionId, row.firstChunkSeq, row.lastChunkSeq)
      .then((bytes) => isCurrent && setLoaded({ row, bytes }))
      .catch((error: unknown) => isCurrent && setLoaded({ row, error: errorText(error) }))
    return () => {
      isCurrent = false
    }
  }, [api, connectionId, row])
  const current = loaded?.row === row ? loaded : undefined
  const frameBytes = row.endByte - row.startByte
  const shownEnd = isShowingAll ? row.endByte : Math.min(row.endByte, row.startByte + PREVIEW_LENGTH)
  const slice =
    current && 'bytes' in current ? sliceChunks(current.bytes, row.startByte, shownEnd) : undefined
  const decoded = slice && slice.missingBytes === 0 ? new TextDecoder().decode(slice.bytes) : undefined
  const text = decoded === undefined || isShowingAll ? decoded : firstLines(decoded, PREVIEW_LINES)
  // Cut by lines, the preview shows fewer bytes than it read.
  const shownBytes = text === decoded ? shownEnd - row.startByte : new TextEncoder().encode(text).length
  return (
    <>
      <h3>
        Raw frame{' '}
        <small>
          bytes {row.startByte}–{row.endByte} of the response body
        </small>
      </h3>
      {current && 'error' in current && <p role="alert">Could not read the bytes: {current.error}</p>}
      {slice && slice.missingBytes > 0 && <BytesDroppedNote />}
      <pre className="raw" aria-label="Raw frame">
        {/* The framer ends every blank line's block after it, so an event's bytes open with a line feed
            only when the CRLF blank line before was cut between CR and LF: that event went at the CR. */}
        {row.kind === 'event' && text?.startsWith('\n') ? (
          <>
            <span className="eol carried" title={CARRIED_LF_NOTE}>
              {'\\n'} <small>(ends the CRLF before: the network cut it after the CR)</small>
              {'\n'}
            </span>
            <RawText text={text.slice(1)} />
          </>
        ) : (
          <RawText text={text ?? ''} />
        )}
      </pre>
      {row.startByte + shownBytes < row.endByte && (
        <TruncationNote shown={shownBytes} total={frameBytes} unit="bytes" onShowAll={onShowAll} />
      )}
      <h3>Network chunks</h3>
      <table className="chunks" aria-label="Network chunks">
        <thead>
          <tr>
            <th>#</th>
            <th>arrived</th>
            <th>bytes</th>
            <th>size</th>
          </tr>
        </thead>
        <tbody>
          {chunks.map((chunk) => (
            <tr key={chunk.seq}>
              <td>{chunk.seq}</td>
              <td>{new Date(chunk.atMs).toISOString().slice(11, 23)}</td>
              <td>
                {chunk.startByte}–{chunk.startByte + chunk.sizeBytes}
              </td>
              <td>{chunk.sizeBytes} B</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

/** Everything about the selected row: data (pretty JSON or text), raw frame, carrying chunks. */
export function EventDetail() {
  const activeId = useInspector((s) => s.activeId)
  const selectedRow = useInspector((s) => s.selectedRow)
  const [isRawData, setRawData] = useState(false)
  const [shownWholeRow, setShownWholeRow] = useState<RowRecord>() // "Show all" lasts for its row only
  const row = selectedRow === undefined ? undefined : logOf(activeId)?.row(selectedRow)
  if (!row || !activeId) {
    return (
      <aside className="detail empty" aria-label="Event detail">
        Select a row to see its data, raw bytes and the network chunks that carried it. ↑/↓ move through the
        list.
      </aside>
    )
  }
  const isShowingAll = shownWholeRow === row
  const showAll = () => setShownWholeRow(row)
  const data = row.kind === 'event' ? row.data : ''
  const isDataCut = !isShowingAll && data.length > PREVIEW_LENGTH
  const json = row.kind === 'event' && !isDataCut ? parseJson(data) : undefined
  return (
    <aside className="detail" aria-label="Event detail">
      <h2 title={row.kind === 'event' ? row.type : undefined}>
        {row.kind === 'event' ? `${row.type} event` : row.kind} <small>#{row.seq}</small>
      </h2>
      <dl>
        <dt>arrived</dt>
        <dd>{new Date(row.atMs).toISOString()}</dd>
        <dt>connection attempt</dt>
        <dd>{row.attempt}</dd>
        {row.kind === 'event' && (
          <>
            <dt>id field</dt>
            <dd>
              {row.id === undefined
                ? '(none)'
                : row.id === ''
                  ? '(empty: resets the last event ID)'
                  : visibleId(row.id)}
            </dd>
            <dt>last event ID</dt>
            <dd>{row.lastEventId ? visibleId(row.lastEventId) : '(empty)'}</dd>
          </>
        )}
      </dl>
      {row.kind === 'event' && (
        <>
          <h3>
            Data{' '}
            {json && (
              <button type="button" className="ghost" onClick={() => setRawData(!isRawData)}>
                {isRawData ? 'Tree' : 'Text'}
              </button>
            )}
            <CopyButton text={row.data} label="Copy data" />
          </h3>
          {json && !isRawData ? (
            <div className="data" aria-label="Event data">
              <JsonTree value={json.value} />
            </div>
          ) : (
            <pre className="data" aria-label="Event data">
              {/* What would not show, or would reorder the text, is made visible; Copy data copies it exact. */}
              {visibleControls(isDataCut ? data.slice(0, PREVIEW_LENGTH) : data, { keepsNewlines: true })}
            </pre>
          )}
          {isDataCut && (
            <TruncationNote
              shown={PREVIEW_LENGTH}
              total={data.length}
              unit="characters"
              onShowAll={showAll}
            />
          )}
        </>
      )}
      {row.kind === 'request' ? (
        <RequestDetail key={row.seq} row={row} />
      ) : row.kind === 'open' ? (
        <ResponseDetail key={row.seq} row={row} />
      ) : (
        row.kind !== 'event' && (
          <>
            {'message' in row && (
              // What happened, in words, before the record itself.
              <p className={`record-message record-${row.kind}`} aria-label="Message">
                {row.message}
              </p>
            )}
            <pre className="data">{JSON.stringify(row, null, 2)}</pre>
          </>
        )
      )}
      {'startByte' in row && row.startByte !== undefined && (
        <RawFrame
          connectionId={activeId}
          row={row as Extract<RowRecord, { startByte: number }>}
          isShowingAll={isShowingAll}
          onShowAll={showAll}
        />
      )}
    </aside>
  )
}
