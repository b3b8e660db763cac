/** A writable that says when it takes more ('drain') or is gone ('close'): a socket, a response, stdout. */
type Drainable = {
  on(event: 'drain' | 'close', listener: () => void): unknown
  off(event: 'drain' | 'close', listener: () => void): unknown
}

/** Resolves once `stream` takes more after a write said it was full, or is gone. */
export function drainedOrClosed(stream: Drainable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done)
      stream.off('close', done)
      resolve()
    }
    stream.on('drain', done)
    stream.on('close', done)
  })
}
