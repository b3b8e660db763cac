import type { HeaderEntry } from '../../../shared/sse/stream-request.ts'
import { isSecretHeader } from '../../../shared/redact-headers.ts'

/**
 * Headers as a table, secret values (Authorization, cookies, API keys) masked until the user reveals
 * them; the Reveal button shows only when there is something to reveal.
 */
export function HeadersTable({
  headers,
  label,
  isRevealed,
  onReveal,
  hasOtherSecrets = false,
}: {
  headers: readonly HeaderEntry[]
  label: string
  isRevealed: boolean
  onReveal: (isRevealed: boolean) => void
  /** Something beside the table is masked too (a token in a URL): offer Reveal for it. */
  hasOtherSecrets?: boolean
}) {
  return (
    <table className="headers-table" aria-label={label}>
      <tbody>
        {headers.map(([name, value], i) => (
          <tr key={i}>
            <th>{name}</th>
            <td>{isSecretHeader(name) && !isRevealed ? '••••••' : value}</td>
          </tr>
        ))}
      </tbody>
      {(hasOtherSecrets || headers.some(([name]) => isSecretHeader(name))) && (
        <tfoot>
          <tr>
            <td colSpan={2}>
              <button type="button" className="ghost" onClick={() => onReveal(!isRevealed)}>
                {isRevealed ? 'Hide secrets' : 'Reveal secrets'}
              </button>
            </td>
          </tr>
        </tfoot>
      )}
    </table>
  )
}
