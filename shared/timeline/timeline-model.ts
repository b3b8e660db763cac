/** The visible time window of the timeline, in wall-clock ms. */
export type TimeView = { startMs: number; endMs: number }

const MIN_SPAN_MS = 1

/** The x pixel of a time. */
export function xOf(ms: number, view: TimeView, width: number): number {
  return ((ms - view.startMs) / (view.endMs - view.startMs)) * width
}

/** The time at an x pixel. */
export function msAt(x: number, view: TimeView, width: number): number {
  return view.startMs + (x / width) * (view.endMs - view.startMs)
}

/** Zooms by `factor` (> 1 zooms in) keeping the time under `anchorMs` in place. */
export function zoom(view: TimeView, factor: number, anchorMs = (view.startMs + view.endMs) / 2): TimeView {
  const span = Math.max(MIN_SPAN_MS, (view.endMs - view.startMs) / factor)
  const ratio = (anchorMs - view.startMs) / (view.endMs - view.startMs)
  const startMs = anchorMs - ratio * span
  return { startMs, endMs: startMs + span }
}

/** Moves the window by `deltaMs` (positive: later). */
export function pan(view: TimeView, deltaMs: number): TimeView {
  return { startMs: view.startMs + deltaMs, endMs: view.endMs + deltaMs }
}

/** A window showing everything from `firstMs` to `lastMs`, with a little margin. */
export function fit(firstMs: number, lastMs: number): TimeView {
  const span = Math.max(1000, lastMs - firstMs)
  const margin = span * 0.02
  return { startMs: firstMs - margin, endMs: firstMs + span + margin }
}

/** The same span, ending at `lastMs` (following a live stream). */
export function follow(view: TimeView, lastMs: number): TimeView {
  const span = view.endMs - view.startMs
  const endMs = lastMs + span * 0.02
  return { startMs: endMs - span, endMs }
}

/** First index i with sorted[i] >= value (sorted ascending; `length` items used). */
export function lowerBound(sorted: ArrayLike<number>, length: number, value: number): number {
  let lo = 0
  let hi = length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid]! < value) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The index of the time nearest to `ms` among sorted times, if any lies within `toleranceMs`. */
export function nearestIndex(
  sorted: ArrayLike<number>,
  length: number,
  ms: number,
  toleranceMs: number,
): number | undefined {
  const i = lowerBound(sorted, length, ms)
  let best: number | undefined
  for (const j of [i - 1, i]) {
    if (j < 0 || j >= length) continue
    if (best === undefined || Math.abs(sorted[j]! - ms) < Math.abs(sorted[best]! - ms)) best = j
  }
  return best !== undefined && Math.abs(sorted[best]! - ms) <= toleranceMs ? best : undefined
}

/**
 * Counts (or sums `weights`) of the sorted times inside the view, in `buckets` equal slices: the rate
 * tracks. Only the visible range is visited (binary search), so it is cheap at a million points.
 */
export function bucketize(
  sorted: ArrayLike<number>,
  length: number,
  view: TimeView,
  buckets: number,
  weights?: ArrayLike<number>,
): Float64Array {
  const out = new Float64Array(Math.max(1, buckets))
  const span = view.endMs - view.startMs
  const from = lowerBound(sorted, length, view.startMs)
  const to = lowerBound(sorted, length, view.endMs)
  for (let i = from; i < to; i++) {
    const bucket = Math.min(out.length - 1, Math.floor(((sorted[i]! - view.startMs) / span) * out.length))
    out[bucket]! += weights ? weights[i]! : 1
  }
  return out
}

/** Gaps between consecutive times longer than `thresholdMs`, as [start, end] pairs. */
export function silences(
  sorted: ArrayLike<number>,
  length: number,
  thresholdMs: number,
  view?: TimeView,
): [number, number][] {
  const out: [number, number][] = []
  const from = view ? Math.max(0, lowerBound(sorted, length, view.startMs) - 1) : 0
  const to = view ? Math.min(length, lowerBound(sorted, length, view.endMs) + 1) : length
  for (let i = from + 1; i < to; i++) {
    if (sorted[i]! - sorted[i - 1]! > thresholdMs) out.push([sorted[i - 1]!, sorted[i]!])
  }
  return out
}

/** Tick marks for the time axis: a round step giving roughly `targetTicks` ticks. */
export function axisTicks(view: TimeView, targetTicks: number): { ms: number; stepMs: number }[] {
  const span = view.endMs - view.startMs
  const steps = [
    1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000,
    600_000, 1_800_000, 3_600_000,
  ]
  const stepMs = steps.find((s) => span / s <= targetTicks) ?? 3_600_000
  const ticks = []
  for (let ms = Math.ceil(view.startMs / stepMs) * stepMs; ms <= view.endMs; ms += stepMs)
    ticks.push({ ms, stepMs })
  return ticks
}
