/** One value that differs between two JSON documents, at a dot path ("choices.0.delta.content"). */
export type JsonChange = { path: string; a: string; b: string }

/** Values to leave out of a comparison: a key name matches at any depth, a dot path from the root. */
export type IgnoredFields = readonly string[]

const MISSING = '(absent)'
/** Deeper than this, a value is compared whole: paths stay short, and a hostile nesting cannot recurse without end. */
const MAX_DEPTH = 64

function parseJson(text: string): { value: unknown } | undefined {
  if (!/^\s*[[{]/.test(text)) return undefined // only objects and arrays: "42" vs "43" is text
  try {
    return { value: JSON.parse(text) as unknown }
  } catch {
    return undefined
  }
}

const isContainer = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null

const shown = (value: unknown): string => (value === undefined ? MISSING : JSON.stringify(value))

/**
 * The differences between two event data strings that are both JSON objects or arrays, leaving out
 * the ignored fields; undefined when either is not JSON (compare them as text). An empty list means
 * they differ only in ignored fields, or in formatting.
 */
export function jsonChanges(a: string, b: string, ignored: IgnoredFields = []): JsonChange[] | undefined {
  const left = parseJson(a)
  const right = parseJson(b)
  if (!left || !right) return undefined
  const keys = new Set(ignored.filter((field) => !field.includes('.')))
  const paths = new Set(ignored.filter((field) => field.includes('.')))
  const changes: JsonChange[] = []
  const walk = (x: unknown, y: unknown, path: string, depth: number): void => {
    const isWalked = depth < MAX_DEPTH && isContainer(x) && isContainer(y)
    if (isWalked && Array.isArray(x) === Array.isArray(y)) {
      for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) {
        const at = path ? `${path}.${key}` : key
        if (keys.has(key) || paths.has(at)) continue
        walk(x[key], y[key], at, depth + 1)
      }
    } else if (JSON.stringify(x) !== JSON.stringify(y)) {
      changes.push({ path: path || '(whole value)', a: shown(x), b: shown(y) })
    }
  }
  try {
    walk(left.value, right.value, '', 0)
  } catch (error) {
    // Nested past what JSON.stringify can write back (tens of thousands deep): compare them as text.
    if (error instanceof RangeError) return undefined
    throw error
  }
  return changes
}
