import type { ReactNode } from 'react'
import { plural } from '../../../shared/plural.ts'

const MAX_NODES = 2000
/**
 * Levels shown: React renders and commits nested elements recursively, and a server's JSON nested a
 * couple of thousand deep overflowed the page's stack (the detail pane broke).
 */
const MAX_DEPTH = 64

/** Collapsible JSON: objects and arrays fold; the first two levels start open. */
export function JsonTree({ value }: { value: unknown }) {
  let budget = MAX_NODES
  let isCut = false
  let isTooDeep = false
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
    if (depth >= MAX_DEPTH && entries.length > 0) {
      isTooDeep = true
      return (
        <div className="json-leaf" key={id}>
          {label}
          {open}
          <span className="json-count">
            {' '}
            {plural(entries.length, Array.isArray(node) ? 'item' : 'key')}, deeper than shown{' '}
          </span>
          {close}
        </div>
      )
    }
    const children: ReactNode[] = []
    for (const [k, v] of entries) {
      if (budget <= 0) break
      children.push(render(v, Array.isArray(node) ? undefined : k, depth + 1, k))
    }
    const hidden = entries.length - children.length
    if (hidden > 0) isCut = true
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
          <span className="json-count"> {plural(entries.length, Array.isArray(node) ? 'item' : 'key')} </span>
          {close}
        </summary>
        <div className="json-children">
          {children}
          {hidden > 0 && <div className="json-count">… {hidden} more</div>}
        </div>
      </details>
    )
  }
  const tree = render(value, undefined, 0)
  return (
    <div className="json-tree">
      {tree}
      {isCut && (
        <div className="json-count" role="note">
          The tree shows the first {MAX_NODES} values; Text shows it all.
        </div>
      )}
      {isTooDeep && (
        <div className="json-count" role="note">
          The tree shows {MAX_DEPTH} levels; Text shows what is nested deeper.
        </div>
      )}
    </div>
  )
}
