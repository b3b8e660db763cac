import type { EventDiff } from '../../../shared/recording/diff-recordings.ts'
import { plural } from '../../../shared/plural.ts'

/** Two recordings compared: events missing, extra and changed, and how their timing differs. */
export function DiffView({ diff, names }: { diff: EventDiff; names: string[] }) {
  const isSame = diff.missing.length + diff.extra.length + diff.changed.length === 0
  return (
    <section className="diff" aria-label="Comparison">
      <p>
        <b>A</b> {names[0]} · <b>B</b> {names[1]} — matched by {diff.matchedBy}:{' '}
        {isSame
          ? 'the same events.'
          : `${diff.missing.length} missing in B, ${diff.extra.length} extra in B, ${diff.changed.length} changed.`}{' '}
        Arrival time B−A (each from its first event): p50 {diff.arrivalDeltaMs.p50} ms, p95{' '}
        {diff.arrivalDeltaMs.p95} ms, max |Δ| {diff.arrivalDeltaMs.max} ms over{' '}
        {plural(diff.arrivalDeltaMs.count, 'event')}.
      </p>
      <ul>
        {diff.missing.slice(0, 50).map((e, i) => (
          <li key={`m${i}`}>
            − missing {e.id ?? ''} <code>{e.data.slice(0, 100)}</code>
          </li>
        ))}
        {diff.extra.slice(0, 50).map((e, i) => (
          <li key={`e${i}`}>
            + extra {e.id ?? ''} <code>{e.data.slice(0, 100)}</code>
          </li>
        ))}
        {diff.changed.slice(0, 50).map((c) => (
          <li key={`c${c.key}`}>
            ~ changed {c.key}: <code>{c.a.data.slice(0, 60)}</code> → <code>{c.b.data.slice(0, 60)}</code>
          </li>
        ))}
      </ul>
    </section>
  )
}
