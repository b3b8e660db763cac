// Servers that never answer, for the timeouts: one accepts and stays silent (a hung backend, a proxy
// holding the response), the other never even completes a connection.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer, connect, type Socket } from 'node:net'

export type SilentServer = { url: string; close(): Promise<void> }

/** Accepts connections, reads the request and never sends a byte back. */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.resume()
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

export type UnacceptingListener = { port: number; close(): void }

const LISTENER = `const s = require('node:net').createServer()
s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => console.log(s.address().port))`

/**
 * A port where connecting hangs: a listener in a stopped process whose accept queue is full, so the
 * kernel drops further SYNs (as a firewall that drops packets does) instead of refusing them.
 */
export async function startUnacceptingListener(): Promise<UnacceptingListener> {
  const child = spawn(process.execPath, ['-e', LISTENER], { stdio: ['ignore', 'pipe', 'inherit'] })
  const [line] = (await once(child.stdout!, 'data')) as [Buffer]
  const port = Number(line.toString().trim())
  child.kill('SIGSTOP')
  const fillers: Socket[] = []
  // The queue holds backlog + 1 connections; fill it until a connection no longer completes.
  for (let i = 0; i < 8; i++) {
    const socket = connect(port, '127.0.0.1')
    socket.on('error', () => {})
    fillers.push(socket)
    const connected = await Promise.race([
      once(socket, 'connect').then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 300)),
    ])
    if (!connected) break
  }
  return {
    port,
    close() {
      for (const socket of fillers) socket.destroy()
      child.kill('SIGKILL')
    },
  }
}
