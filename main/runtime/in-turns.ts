/** Items between turns: framing 50k events takes ~25 ms. */
const ITEMS_PER_TURN = 50_000

/**
 * Visits the items of `items` (until `visit` returns false), letting the event loop run every
 * `itemsPerTurn` of them: reading a recording of millions of events takes seconds, and the process's
 * live streams, servers and pushes go on meanwhile. A plain loop between turns: no promise per item.
 */
export async function forEachInTurns<T>(
  items: Iterable<T>,
  visit: (item: T) => boolean | void,
  itemsPerTurn = ITEMS_PER_TURN,
): Promise<void> {
  let count = 0
  for (const item of items) {
    if (visit(item) === false) return
    if (++count % itemsPerTurn === 0) await new Promise((resolve) => setImmediate(resolve))
  }
}
