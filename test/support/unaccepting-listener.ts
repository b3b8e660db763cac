// A listener that never completes a connection, for the connect timeout (the demo server's
// /no-response covers the first-byte timeout).
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { connect, type Socket } from 'node:net'

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
