/** A message across the window until dismissed: an error (alert), or a notice about what is shown (status). */
export function DismissibleBanner({
  kind,
  text,
  onDismiss,
}: {
  kind: 'error' | 'notice'
  text: string | undefined
  onDismiss: () => void
}) {
  if (!text) return null
  return (
    <div
      className={`${kind}-banner`}
      role={kind === 'error' ? 'alert' : 'status'}
      aria-label={kind === 'error' ? undefined : 'Notice'}
    >
      {text}
      <button type="button" className="ghost" aria-label="Dismiss" onClick={onDismiss}>
        ✕
      </button>
    </div>
  )
}
