import '../runtime/small-young-generation.ts' // first: sizes the heap before anything else loads
import { readFileSync } from 'node:fs'
import { CHECK_USAGE, checkCommand } from './check-command.ts'
import { COMPLETION_USAGE, completionCommand } from './completion-command.ts'
import { DEMO_USAGE, demoCommand } from './demo-command.ts'
import { DIFF_USAGE, diffCommand } from './diff-command.ts'
import { EXPORT_USAGE, exportCommand, IMPORT_USAGE, importCommand } from './export-command.ts'
import { RECORD_USAGE, recordCommand } from './record-command.ts'
import { REPLAY_USAGE, replayCommand } from './replay-command.ts'
import { PROBE_USAGE, probeCommand } from './probe-command.ts'
import { SERVE_USAGE, serveCommand } from './serve-command.ts'
import { UsageError } from './usage-error.ts'
import { watchCommand } from './watch-command.ts'
import { WATCH_USAGE } from './watch-options.ts'

// Deprecation notices from dependencies are for their developers; on a CLI's stderr they read as our
// errors (undici's SOCKS5 agent sends an IP address as the TLS server name: DEP0123).
process.noDeprecation = true

const USAGE = `Usage: sse-inspector <command> [options]

Commands:
  watch <url>    connect to an SSE endpoint and print every event, comment, retry and warning
  check <url>    check an endpoint's conformance (a CI gate: exit 1 when a check fails)
  record <url>   record a stream to a file (-o FILE)
  replay FILE    print a recording, or serve it (--serve) with the same bytes and timing
  export FILE    a recording as HAR, NDJSON or raw SSE
  import FILE    a recording from HAR or raw SSE text
  diff A B       compare the events of two recordings
  demo           serve the demo endpoints on 127.0.0.1
  serve          serve the inspector UI to a browser on 127.0.0.1
  probe          serve the probe origin (events carry send times) to check proxies against
  completion     print a bash or zsh completion script (source <(sse-inspector completion bash))

Run "sse-inspector <command> --help" for a command's options.`

const commands: Record<string, { usage: string; run: (args: string[]) => Promise<number> }> = {
  watch: { usage: WATCH_USAGE, run: watchCommand },
  check: { usage: CHECK_USAGE, run: checkCommand },
  record: { usage: RECORD_USAGE, run: recordCommand },
  replay: { usage: REPLAY_USAGE, run: replayCommand },
  export: { usage: EXPORT_USAGE, run: exportCommand },
  import: { usage: IMPORT_USAGE, run: importCommand },
  diff: { usage: DIFF_USAGE, run: diffCommand },
  demo: { usage: DEMO_USAGE, run: demoCommand },
  serve: { usage: SERVE_USAGE, run: serveCommand },
  probe: { usage: PROBE_USAGE, run: probeCommand },
}
commands.completion = {
  usage: COMPLETION_USAGE,
  run: (args) =>
    completionCommand(args, Object.fromEntries(Object.entries(commands).map(([name, c]) => [name, c.usage]))),
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
  return pkg.version
}

/** Runs the CLI; resolves to the process exit code. Errors become one line on stderr, never a stack trace. */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...args] = argv
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(USAGE + '\n')
    return name === undefined ? 2 : 0
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(version() + '\n')
    return 0
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined // "constructor" is no command
  if (!command) {
    process.stderr.write(`sse-inspector: unknown command ${JSON.stringify(name)}\n${USAGE}\n`)
    return 2
  }
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(command.usage + '\n')
    return 0
  }
  try {
    return await command.run(args)
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`sse-inspector ${name}: ${error.message}\n`)
      return 2
    }
    process.stderr.write(`sse-inspector ${name}: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
}

// A closed pipe (| head) is a normal way for a reader to stop.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0)
})
// A closed stderr (2>&1 | head, or a reader gone) loses the messages; the exit code still tells.
process.stderr.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error
})

process.exitCode = await runCli(process.argv.slice(2))
