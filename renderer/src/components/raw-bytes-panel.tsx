import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef, useState } from 'react'
import type { WireChunkRecord } from '../../../shared/api.ts'
import { plural } from '../../../shared/plural.ts'
import { useApi } from '../api-context.ts'
import { base64ToBytes } from '../store/event-log.ts'
import { logOf, useInspector } from '../store/inspector-store.ts'
import { BytesDroppedNote } from './long-text.tsx'
import { RawText } from './raw-text.tsx'
import { showFailure } from '../show-failure.ts'

const ROW_HEIGHT = 24

type ByteSpan = {
  attempt: number
  startByte: number
  endByte: number
  firstChunkSeq: number
  lastChunkSeq: number
}

function hexDump(
  bytes: Uint8Array,
  highlight?: [number, number],
): { offset: string; hex: string; ascii: string; isMarked: boolean }[] {
  const lines = []
  for (let i = 0; i < bytes.length; i += 16) {
    const slice = bytes.subarray(i, i + 16)
    lines.push({
      offset: i.toString(16).padStart(6, '0'),
      hex: [...slice].map((b) => b.toString(16).padStart(2, '0')).join(' '),
      ascii: [...slice].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join(''),
      isMarked: highlight !== undefined && i < highlight[1] && i + 16 > highlight[0],
    })
  }
  return lines
}

/** The bytes exactly as received, chunk by chunk, with the selected event's range highlighted. */
export function RawBytesPanel() {
  const api = useApi()
  const activeId = useInspector((s) => s.activeId)
  const version = useInspector((s) => (s.activeId ? (s.connections[s.activeId]?.version ?? 0) : 0))
  const selectedRow = useInspector((s) => s.selectedRow)
  const log = logOf(activeId)
  const selected = selectedRow === undefined ? undefined : log?.row(selectedRow)
  const range =
    selected && 'startByte' in selected && typeof selected.startByte === 'number'
      ? (selected as unknown as ByteSpan)
      : undefined
  // A new list each batch (the log appends in place; version says when).
  const chunks = useMemo(() => (log ? [...log.chunks.values()] : []), [log, version])
  const [chosenSeq, setChosenSeq] = useState<number>()
  const seq = chosenSeq ?? range?.firstChunkSeq
  const chunkIndex = chunks.findIndex((c) => c.seq === seq)
  const chunk = chunkIndex === -1 ? undefined : chunks[chunkIndex]
  const [bytes, setBytes] = useState<{ seq: number; data?: Uint8Array }>()
  useEffect(() => {
    if (!activeId || seq === undefined) return
    let isCurrent = true
    void api
      .readChunks(activeId, seq, seq)
      .then(([first]) => {
        if (isCurrent) setBytes({ seq, data: first && base64ToBytes(first.bytesBase64) })
      })
      .catch(showFailure)
    return () => {
      isCurrent = false
    }
  }, [api, activeId, seq])
  useEffect(() => setChosenSeq(undefined), [selectedRow])

  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: chunks.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  })
  const carries = (c: WireChunkRecord) =>
    range !== undefined &&
    c.attempt === range.attempt &&
    c.seq >= range.firstChunkSeq &&
    c.seq <= range.lastChunkSeq
  const firstAtMs = chunks[0]?.atMs ?? 0
  // The selected event's bytes within the shown chunk.
  const highlight: [number, number] | undefined =
    chunk && range && carries(chunk)
      ? [
          Math.max(0, range.startByte - chunk.startByte),
          Math.min(chunk.sizeBytes, range.endByte - chunk.startByte),
        ]
      : undefined
  // The chunk picked by an event's selection is scrolled into the list (it was far below, out of sight).
  useEffect(() => {
    if (chosenSeq === undefined && chunkIndex !== -1) virtualizer.scrollToIndex(chunkIndex, { align: 'auto' })
  }, [chunkIndex, chosenSeq, virtualizer])
  const shown = bytes && bytes.seq === seq ? bytes.data : undefined
  const text = shown ? new TextDecoder().decode(shown) : ''
  const decode = (part: Uint8Array) => new TextDecoder().decode(part)
  const [before, marked, after]: [string, string, string] =
    shown && highlight
      ? [
          decode(shown.subarray(0, highlight[0])),
          decode(shown.subarray(highlight[0], highlight[1])),
          decode(shown.subarray(highlight[1])),
        ]
      : [text, '', '']

  // …and the event's bytes into the chunk text's view (it scrolls on its own): in a 64 KiB chunk they
  // may start 40 kB in, and the chunk's text and hex take the pane.
  const bytesRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const view = bytesRef.current
    const text = view?.querySelector('pre.raw')
    const mark = text?.querySelector('mark')
    if (!view || !text || !mark) return
    const within = (inner: Element, outer: Element) =>
      inner.getBoundingClientRect().top - outer.getBoundingClientRect().top + outer.scrollTop
    text.scrollTop = Math.max(0, within(mark, text) - 48) // a few lines of what came before stay in view
    view.scrollTop = Math.max(0, within(mark, view) - 48) // the pane may be shorter than the text
  }, [shown, highlight?.[0], highlight?.[1]])

  return (
    <section className="raw-bytes" aria-label="Raw bytes">
      <h2 className="visually-hidden">Raw bytes</h2>
      <div
        ref={scrollRef}
        className="chunk-list"
        role="listbox"
        aria-label="Network chunks received"
        tabIndex={0}
        // ↑/↓ move through the chunks, as a click picks one
        onKeyDown={(event) => {
          const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0
          if (step === 0 || chunks.length === 0) return
          event.preventDefault()
          const at = chunks.findIndex((c) => c.seq === seq)
          const next = at === -1 ? 0 : Math.max(0, Math.min(chunks.length - 1, at + step))
          setChosenSeq(chunks[next]!.seq)
          virtualizer.scrollToIndex(next)
        }}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const c = chunks[item.index]!
            return (
              <div
                key={item.key}
                role="option"
                aria-selected={c.seq === seq}
                className={`chunk-row${carries(c) ? ' carries' : ''}${c.seq === seq ? ' selected' : ''}`}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                onClick={() => setChosenSeq(c.seq)}
              >
                <span>#{c.seq}</span>
                <span>+{((c.atMs - firstAtMs) / 1000).toFixed(3)}s</span>
                <span>{c.sizeBytes} B</span>
                <span>@{c.startByte}</span>
              </div>
            )
          })}
        </div>
      </div>
      {chunk === undefined ? (
        <p className="muted">Select a chunk (or an event) to see its bytes.</p>
      ) : bytes && bytes.seq === seq && !bytes.data ? (
        <BytesDroppedNote />
      ) : (
        <div className="chunk-bytes" ref={bytesRef} role="region" aria-label="Chunk bytes" tabIndex={0}>
          <h3>
            Chunk #{chunk.seq}: {plural(chunk.sizeBytes, 'byte')} at{' '}
            {new Date(chunk.atMs).toISOString().slice(11, 23)}, body bytes {chunk.startByte}–
            {chunk.startByte + chunk.sizeBytes}
          </h3>
          <pre className="raw" aria-label="Chunk text">
            <RawText text={before} />
            {marked && (
              <mark aria-label="Selected event bytes">
                <RawText text={marked} />
              </mark>
            )}
            <RawText text={after} />
          </pre>
          <h3>Hex</h3>
          <pre className="hex" aria-label="Chunk hex">
            {shown &&
              hexDump(shown, highlight).map((line) => (
                <div key={line.offset} className={line.isMarked ? 'marked' : undefined}>
                  {line.offset} {line.hex.padEnd(47)} {line.ascii}
                </div>
              ))}
          </pre>
        </div>
      )}
    </section>
  )
}
