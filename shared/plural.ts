/** "1 event", "3 events", "0 reconnects": a count and its word, in the plural unless the count is 1. */
export const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`
