/**
 * The longest delay one timer takes: setTimeout and setInterval, in Node and in browsers, fire at once
 * (after 1 ms) past 2^31−1 ms (~24.8 days) — a long wait asked for becomes none at all.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1

/** The most whole seconds a timer waits (2147483 s, 24 days): the limit of time options and fields. */
export const MAX_TIMER_SECONDS = Math.floor(MAX_TIMER_MS / 1000)
