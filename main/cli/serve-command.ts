import { spawn } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createBackend } from '../backend/backend.ts'
import { startWebServer } from '../web/web-server.ts'
import { UsageError } from './usage-error.ts'
import { parseCommandArgs, untilInterrupted } from './command-args.ts'

export const SERVE_USAGE = `Usage: sse-inspector serve [--port P] [--open] [FILE...]

Serves the inspector UI to a browser on 127.0.0.1 (default port 8788; 0 picks a free one) and prints
its URL, which carries a random per-start token. Build the UI first: npm run build.
FILEs (recordings, HAR or SSE text) are imported into the library and opened by the first page.
  --open          open the URL in the default browser
  --token TOKEN   use this token instead of a random one (for automation)
  --library DIR   keep recordings here (default: $SSE_INSPECTOR_LIBRARY or the user data folder)`

const STATIC_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url))

/** `sse-inspector serve`: the browser face, until interrupted. */
export async function serveCommand(args: string[]): Promise<number> {
  const { values, positionals: files } = parseCommandArgs(args, {
    port: { type: 'string', short: 'p' },
    open: { type: 'boolean' },
    token: { type: 'string' },
    library: { type: 'string' },
  })
  const port = values.port === undefined ? 8788 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError('--port needs a number from 0 to 65535')
  if (values.token !== undefined && !/^[\w-]{8,128}$/.test(values.token)) {
    throw new UsageError('--token needs 8 to 128 letters, digits, - or _')
  }
  if (!existsSync(`${STATIC_DIR}/index.html`)) {
    process.stderr.write('sse-inspector serve: the UI is not built yet; run npm run build first\n')
    return 1
  }
  // Every file is there before any goes into the library (a typo in the last must not import the first).
  const missing = files.find((file) => !statSync(file, { throwIfNoEntry: false })?.isFile())
  if (missing !== undefined) throw new UsageError(`${missing} is not a file`)
  const backend = createBackend({ libraryDir: values.library })
  const imported: { recordingId: string; name: string }[] = []
  // Offered once every file is in: a page of an earlier start (same --token) may come back meanwhile.
  let isEveryFileIn = false
  let server
  try {
    // Listening first: a port in use fails before any file goes into the library.
    server = await startWebServer({
      backend,
      staticDir: STATIC_DIR,
      port,
      token: values.token,
      toOpen: () => (isEveryFileIn ? imported : undefined),
    })
  } catch (error) {
    process.stderr.write(
      `sse-inspector serve: cannot listen on 127.0.0.1:${port}: ${(error as Error).message}\n`,
    )
    await backend.close()
    return 1
  }
  for (const file of files) {
    try {
      const { id, name } = await backend.importFile(basename(file), resolve(file))
      imported.push({ recordingId: id, name })
    } catch (error) {
      // Its own words: "cannot import x.sserec: not a recording, a HAR or SSE text (…)".
      process.stderr.write(`sse-inspector serve: ${(error as Error).message}\n`)
      await server.close()
      await backend.close()
      return 1
    }
  }
  isEveryFileIn = true
  process.stdout.write(`SSE Inspector is at ${server.url}\n`)
  if (imported.length > 0)
    process.stdout.write(
      `The first page opens ${imported.map((r) => r.name).join(', ')} (now in the library).\n`,
    )
  process.stdout.write('Ctrl-C to stop.\n')
  // A long-running backend: a failed promise nobody awaited is a bug to report, not a reason to drop
  // every connection and recording the page holds (Node's default ends the process).
  process.on('unhandledRejection', (reason) =>
    process.stderr.write(
      `sse-inspector serve: an operation failed unexpectedly (still running): ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`,
    ),
  )
  if (values.open) {
    const opener =
      process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open'
    // No browser to open (a server, a container): say so once; the URL above still works.
    const cannotOpen = (why: string) =>
      process.stderr.write(`sse-inspector serve: could not open a browser (${why}); open the URL above\n`)
    spawn(opener, [server.url], { stdio: 'ignore', detached: true })
      .on('error', (error: NodeJS.ErrnoException) =>
        cannotOpen(error.code === 'ENOENT' ? `${opener} not found` : error.message),
      )
      .on('exit', (code) => {
        if (code) cannotOpen(`${opener} exited with ${code}`)
      })
      .unref()
  }
  await untilInterrupted()
  await server.close()
  await backend.close()
  return 0
}
