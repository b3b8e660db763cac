/**
 * How much of a long text the detail pane renders at first: plenty to read, little enough that selecting
 * a 16 MiB event stays quick (rendering all of it takes seconds, and it is there twice: data and frame).
 */
export const PREVIEW_LENGTH = 256 * 1024

const count = (n: number) => n.toLocaleString('en-US')

/** Says how much of a text is shown, with a button to show the rest. */
export function TruncationNote({
  shown,
  total,
  unit,
  onShowAll,
}: {
  shown: number
  total: number
  unit: 'characters' | 'bytes'
  onShowAll: () => void
}) {
  return (
    <p className="muted truncation" role="note">
      Showing the first {count(shown)} of {count(total)} {unit}.{' '}
      <button type="button" className="ghost" onClick={onShowAll}>
        Show all
      </button>
    </p>
  )
}

/** Why an older event's bytes cannot be shown. */
export function BytesDroppedNote() {
  return (
    <p className="muted" role="note">
      These bytes are no longer kept in memory (the newest 256 MiB of all connections are); the recording has
      them all: open it from the Library.
    </p>
  )
}
