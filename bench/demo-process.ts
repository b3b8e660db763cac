// Starts the demo server in its own process, so a benchmark's client and server do not share a CPU thread.
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'

// Resolved from the package root (npm run bench runs there), so it works from the built bench too.
const CLI = resolve('bin/sse-inspector.js')

export async function startDemoProcess(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [CLI, 'demo', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (part: Buffer) => {
      out += part.toString()
      const match = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (match) resolve(match[1]!)
    })
    child.on('exit', (code) => reject(new Error(`demo server exited with ${code}`)))
  })
  return { url, stop: () => child.kill('SIGINT') }
}
