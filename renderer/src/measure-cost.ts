/** Entries of one name kept: the browser keeps every measure until cleared (a live timeline makes ~18 a second). */
const MAX_ENTRIES = 1000

/**
 * Records how long something took since `startMs` as a performance measure (`npm run bench -- ui` and
 * the browser's performance panel read them), keeping at most the newest ~1000 of a name: a day of a
 * live stream left 1.5M timeline measures in the page's memory.
 */
export function measureCost(name: string, startMs: number): void {
  if (performance.getEntriesByName(name, 'measure').length >= MAX_ENTRIES) performance.clearMeasures(name)
  performance.measure(name, { start: startMs })
}
