import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { probe } from '../servers/demo-server.ts'
import { UsageError } from './usage-error.ts'
import { parseCommandArgs, untilInterrupted } from './command-args.ts'
import { failingAlone } from '../servers/request-handler.ts'

export const PROBE_USAGE = `Usage: sse-inspector probe [--port P] [--interval-ms N] [--size-bytes N] [--heartbeat-ms N]

Serves the probe origin on 127.0.0.1: a stream whose events carry their sequence and send time
(data: {"seq":N,"sentAtMs":T,"pad":"…"}). Put a proxy in front of it and run
"sse-inspector check" through the proxy: the delay it adds per event, its buffering threshold,
compression, header changes and idle timeout become measurements.
Defaults: port 8789, an event every 100 ms of about 100 bytes, a heartbeat comment every 15 s.
A request's query overrides them: ?interval=ms&size=bytes&heartbeat=ms; ?cacheControl=no-cache sends
that instead of "no-cache, no-transform" (an app that forgets no-transform: does the proxy compress?).`

/** `sse-inspector probe`: the probe origin, until interrupted. */
export async function probeCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      port: { type: 'string', short: 'p' },
      'interval-ms': { type: 'string' },
      'size-bytes': { type: 'string' },
      'heartbeat-ms': { type: 'string' },
    },
    false,
  )
  const number = (raw: string | undefined, flag: string, fallback: number, min: number) => {
    if (raw === undefined) return fallback
    const value = Number(raw)
    if (!Number.isInteger(value) || value < min)
      throw new UsageError(`${flag} needs a whole number >= ${min}`)
    return value
  }
  const port = number(values.port, '--port', 8789, 0)
  if (port > 65535) throw new UsageError('--port needs a number from 0 to 65535')
  const query = new URLSearchParams({
    interval: String(number(values['interval-ms'], '--interval-ms', 100, 1)),
    size: String(number(values['size-bytes'], '--size-bytes', 100, 40)),
    heartbeat: String(number(values['heartbeat-ms'], '--heartbeat-ms', 15_000, 0)),
  })
  const server = createServer(
    failingAlone((request, response, url) => {
      // Every path is the probe stream; query parameters on the request override the defaults.
      const merged = new URLSearchParams(query)
      for (const [key, value] of url.searchParams) merged.set(key, value)
      probe(request, response, merged)
    }),
  )
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => resolve())
    })
  } catch (error) {
    process.stderr.write(
      `sse-inspector probe: cannot listen on 127.0.0.1:${port}: ${(error as Error).message}\n`,
    )
    return 1
  }
  const { port: actual } = server.address() as AddressInfo
  process.stdout.write(
    `SSE Inspector probe origin on http://127.0.0.1:${actual}/ (an event every ${query.get('interval')} ms, ~${query.get('size')} B)\nCtrl-C to stop.\n`,
  )
  await untilInterrupted()
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  return 0
}
