/**
 * A step of long work on a terminal, with its elapsed seconds ticking on the same line (an idle watch
 * can take minutes); the next step, or the end, leaves the line with its final time.
 */
export function progressLine(stream: NodeJS.WriteStream): { step(text: string): void; end(): void } {
  let text: string | undefined
  let startedMs = 0
  let timer: NodeJS.Timeout | undefined
  const draw = () =>
    stream.write(`\r\x1b[2K… ${text} (${Math.floor((performance.now() - startedMs) / 1000)} s)`)
  const finish = () => {
    clearInterval(timer)
    if (text !== undefined) {
      draw()
      stream.write('\n')
    }
    text = undefined
  }
  return {
    step(next) {
      finish()
      text = next
      startedMs = performance.now()
      draw()
      timer = setInterval(draw, 1000)
      timer.unref() // never what keeps the process alive
    },
    end: finish,
  }
}
