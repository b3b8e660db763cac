import { useState } from 'react'

/** Copies `text` to the clipboard; says "Copied" for a moment. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [isCopied, setCopied] = useState(false)
  return (
    <button
      type="button"
      className="ghost"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => {
          setCopied(true)
          setTimeout(() => setCopied(false), 1200)
        })
      }}
    >
      {isCopied ? 'Copied' : label}
    </button>
  )
}
