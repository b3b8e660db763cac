import { demoRoutes, startDemoServer } from '../servers/demo-server.ts'
import { UsageError } from './usage-error.ts'
import { parseCommandArgs, untilInterrupted } from './command-args.ts'

export const DEMO_USAGE = `Usage: sse-inspector demo [--port P]

Serves the demo endpoints (well-behaved and misbehaving SSE streams) on 127.0.0.1 until Ctrl-C.
Default port 8787; 0 picks a free one.`

/** `sse-inspector demo`: runs the demo server until interrupted. */
export async function demoCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, { port: { type: 'string', short: 'p' } }, false)
  const port = values.port === undefined ? 8787 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError('--port needs a number from 0 to 65535')
  let server
  try {
    server = await startDemoServer({ port })
  } catch (error) {
    process.stderr.write(
      `sse-inspector demo: cannot listen on 127.0.0.1:${port}: ${(error as Error).message}\n`,
    )
    return 1
  }
  const lines = demoRoutes().map(
    ({ path, description }) => `  ${(server.url + path).padEnd(50)} ${description}`,
  )
  process.stdout.write(
    `SSE Inspector demo server on ${server.url}\n\n${lines.join('\n')}\n\nCtrl-C to stop.\n`,
  )
  await untilInterrupted()
  await server.close()
  return 0
}
