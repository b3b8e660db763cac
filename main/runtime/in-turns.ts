/** Items between turns: framing 50k events takes ~25 ms. */
const ITEMS_PER_TURN = 50_000

/**
 * The items of `items`, letting the event loop run every `itemsPerTurn` of them: reading a recording
 * of millions of events takes seconds, and the process's live streams, servers and pushes go on
 * meanwhile.
 */
export async function* inTurns<T>(items: Iterable<T>, itemsPerTurn = ITEMS_PER_TURN): AsyncGenerator<T> {
  let count = 0
  for (const item of items) {
    if (++count % itemsPerTurn === 0) await new Promise((resolve) => setImmediate(resolve))
    yield item
  }
}
