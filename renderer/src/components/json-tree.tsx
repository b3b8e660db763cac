import type { ReactNode } from 'react'

const MAX_NODES = 2000

/** Collapsible JSON: objects and arrays fold; the first two levels start open. */
export function JsonTree({ value }: { value: unknown }) {
  let budget = MAX_NODES
  // `key` names an object's member (shown); `id` tells siblings apart for React (an array's index too).
  const render = (node: unknown, key: string | undefined, depth: number, id = key ?? ''): ReactNode => {
    budget--
    const label = key !== undefined ? <span className="json-key">{JSON.stringify(key)}: </span> : null
    if (node === null || typeof node !== 'object') {
      const kind = node === null ? 'null' : typeof node
      return (
        <div className="json-leaf" key={id}>
          {label}
          <span className={`json-${kind}`}>{JSON.stringify(node)}</span>
        </div>
      )
    }
    const entries: [string, unknown][] = Array.isArray(node)
      ? node.map((v, i) => [String(i), v])
      : Object.entries(node)
    const [open, close] = Array.isArray(node) ? ['[', ']'] : ['{', '}']
    if (entries.length === 0) {
      return (
        <div className="json-leaf" key={id}>
          {label}
          {open}
          {close}
        </div>
      )
    }
    return (
      <details className="json-node" open={depth < 2} key={id}>
        <summary>
          {label}
          {open}
          <span className="json-count">
            {' '}
            {entries.length} {Array.isArray(node) ? 'items' : 'keys'}{' '}
          </span>
          {close}
        </summary>
        <div className="json-children">
          {entries.map(([k, v]) =>
            budget > 0 ? render(v, Array.isArray(node) ? undefined : k, depth + 1, k) : null,
          )}
          {budget <= 0 && <div className="json-count">… too large to show as a tree; use Text</div>}
        </div>
      </details>
    )
  }
  return <div className="json-tree">{render(value, undefined, 0)}</div>
}
