/** A number typed in a form: the field, marked invalid, with what is wrong with it beside it. */
export function NumberInput({
  value,
  problem,
  onChange,
  label,
  inputMode = 'decimal',
}: {
  value: string
  /** What is wrong with the value (numberProblem), if anything. */
  problem: string | undefined
  onChange: (value: string) => void
  /** Its accessible name, when the label around it says more than the name should. */
  label?: string
  inputMode?: 'decimal' | 'numeric'
}) {
  return (
    <>
      <input
        aria-label={label}
        inputMode={inputMode}
        value={value}
        aria-invalid={problem !== undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {problem && (
        <span className="field-note" role="note">
          {problem}
        </span>
      )}
    </>
  )
}
