/**
 * The longest delay one timer takes: setTimeout and setInterval, in Node and in browsers, fire at once
 * (after 1 ms) past 2^31−1 ms (~24.8 days) — a long wait asked for becomes none at all.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1
