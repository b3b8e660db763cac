import { useState } from 'react'
import {
  describeChange,
  DIFF_PREVIEW_LIMIT,
  type EventDiffPreview,
} from '../../../shared/recording/diff-recordings.ts'
import { plural } from '../../../shared/plural.ts'

/** "created, choices.0.index" → the field names, as the diff takes them. */
const ignoredFieldsOf = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean)

/**
 * Two recordings compared: events missing, extra and changed, and how their timing differs; JSON
 * fields that differ run to run (timestamps, generated ids) can be left out.
 */
export function DiffView({
  diff,
  names,
  onIgnore,
}: {
  diff: EventDiffPreview
  names: string[]
  onIgnore: (fields: string[]) => void
}) {
  const [ignored, setIgnored] = useState('')
  const { totals } = diff
  const isSame = totals.missing + totals.extra + totals.changed === 0
  const listed = diff.missing.length + diff.extra.length + diff.changed.length
  return (
    <section className="diff" aria-label="Comparison">
      <form
        className="diff-ignore"
        onSubmit={(e) => {
          e.preventDefault()
          onIgnore(ignoredFieldsOf(ignored))
        }}
      >
        <label>
          Ignore JSON fields
          <input
            value={ignored}
            spellCheck={false}
            placeholder="created, id, choices.0.index"
            onChange={(e) => setIgnored(e.target.value)}
          />
        </label>
        <button type="submit" className="ghost">
          Compare again
        </button>
      </form>
      <p>
        <b>A</b> {names[0]} · <b>B</b> {names[1]} — matched by {diff.matchedBy}:{' '}
        {isSame
          ? 'the same events.'
          : `${totals.missing} missing in B, ${totals.extra} extra in B, ${totals.changed} changed.`}{' '}
        {diff.sameButIgnored > 0 &&
          `${plural(diff.sameButIgnored, 'more event')} the same but for ignored fields or JSON formatting. `}
        Arrival time B−A (each from its first event): p50 {diff.arrivalDeltaMs.p50} ms, p95{' '}
        {diff.arrivalDeltaMs.p95} ms, max |Δ| {diff.arrivalDeltaMs.max} ms over{' '}
        {plural(diff.arrivalDeltaMs.count, 'event')}.
      </p>
      <ul>
        {diff.missing.map((e, i) => (
          <li key={`m${i}`}>
            − missing {e.id ?? ''} <code>{e.data.slice(0, 100)}</code>
          </li>
        ))}
        {diff.extra.map((e, i) => (
          <li key={`e${i}`}>
            + extra {e.id ?? ''} <code>{e.data.slice(0, 100)}</code>
          </li>
        ))}
        {diff.changed.map((c) => (
          <li key={`c${c.key}`}>
            ~ changed {c.key}: <code>{describeChange(c)}</code>
          </li>
        ))}
      </ul>
      {listed < totals.missing + totals.extra + totals.changed && (
        <p className="muted">
          The first {DIFF_PREVIEW_LIMIT} of each are listed; <code>sse-inspector diff A B --json</code> on the
          exported recordings lists them all.
        </p>
      )}
    </section>
  )
}
