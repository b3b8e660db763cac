import { createConnection, createServer } from 'node:net'

/** A port on 127.0.0.1 nothing listens on: bind one, then let it go (for a server started apart). */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Waits until something accepts connections on 127.0.0.1:`port`; `what` names it in the timeout error. */
export async function waitForPort(port: number, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const isOpen = await new Promise<boolean>((resolve) => {
      const socket = createConnection(port, '127.0.0.1', () => {
        socket.end()
        resolve(true)
      })
      socket.on('error', () => resolve(false))
    })
    if (isOpen) return
    if (Date.now() > deadline) throw new Error(`${what} did not listen on ${port}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
