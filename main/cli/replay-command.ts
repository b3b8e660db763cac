import {
  RECORDING_ENDS_EARLY,
  RecordingError,
  type LazyRecording,
} from '../../shared/recording/recording-format.ts'
import { isFinalClose, type StreamRecord } from '../../shared/sse/stream-records.ts'
import { isStreamRecord, readRecordingFileLazily } from '../recording/recording-file.ts'
import { startReplayServer } from '../servers/replay-server.ts'
import { OUTPUT_OPTIONS, OUTPUT_USAGE, outputFromValues } from './output-options.ts'
import { createRecordPrinter } from './record-printer.ts'
import { parseCommandArgs, untilInterrupted } from './command-args.ts'
import { UsageError } from './usage-error.ts'
import { drainedOrClosed } from '../runtime/drained.ts'

export const REPLAY_USAGE = `Usage: sse-inspector replay FILE [--json | --data-only | --llm] [--type TYPE]... [-n N] [-i] [-v]
       sse-inspector replay FILE --serve [--port P] [--speed X] [--loop] [--each-attempt] [--cors ORIGIN]...

Prints a recording's records (events derived by the same framer, as "watch" prints them), or serves
it as a local SSE endpoint that re-emits the same status, headers, bytes, chunk boundaries and timing
(scaled by --speed). The server resumes after a Last-Event-ID and injects faults on request:
  ?disconnectAfter=N  ?splitBytes=1  ?delayMs=D&jitterMs=J  ?stallAfter=N&stallMs=T  ?drop=ID  ?duplicate=ID
With --each-attempt it replays the whole reconnect story instead of the first response: the k-th
request gets the k-th recorded attempt (as the server answered it then), a connection that broke
breaks again, one that got no response is closed unanswered, and after the last a 204 tells the
client to stop (--loop starts again at the first). Web pages served from this machine (localhost,
127.0.0.1, any port) may read the streams from a browser (CORS); --cors ORIGIN lets another site's
pages read them too (repeatable; --cors '*': any site, which lets any page you open read the
recording while it is served).

Printing:
${OUTPUT_USAGE}
  -i, --include              print the response headers (and TLS) under each open line
  -v, --verbose              print the request headers under each request line`

/** An origin --cors names, as browsers send it (scheme, host, port: no path); `*` is any. */
function corsOrigin(value: string): string {
  if (value === '*') return value
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))
    throw new UsageError(
      `--cors needs an origin such as https://app.example.com (or '*'), not ${JSON.stringify(value)}`,
    )
  return new URL(value).origin
}

/** `sse-inspector replay`. */
export async function replayCommand(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    ...OUTPUT_OPTIONS,
    serve: { type: 'boolean' },
    port: { type: 'string', short: 'p' },
    speed: { type: 'string' },
    loop: { type: 'boolean' },
    'each-attempt': { type: 'boolean' },
    cors: { type: 'string', multiple: true },
    include: { type: 'boolean', short: 'i' },
    verbose: { type: 'boolean', short: 'v' },
  })
  const { values, positionals } = parsed
  const file = positionals[0]
  if (!file || positionals.length > 1) throw new UsageError('replay needs one recording FILE')
  const output = outputFromValues(values)
  const serveOnly = ['each-attempt', 'loop', 'port', 'speed', 'cors'] as const
  const misplaced = serveOnly.find((name) => values[name] !== undefined && !values.serve)
  if (misplaced) throw new UsageError(`--${misplaced} goes with --serve`)
  const printOnly = (['include', 'verbose'] as const).find((name) => values[name] && values.serve)
  if (printOnly) throw new UsageError(`--${printOnly} is about printing; it does not go with --serve`)
  const speed = values.speed === undefined ? 1 : Number(values.speed)
  if (!Number.isFinite(speed) || speed <= 0)
    throw new UsageError('--speed needs a positive number (0.5, 1, 10…)')
  const corsOrigins = values.cors?.map(corsOrigin)
  const port = values.port === undefined ? 8790 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError('--port needs a number from 0 to 65535')
  // Any length: printed, events are framed as they are printed; served, as the server reads them once.
  let recording: LazyRecording
  try {
    recording = readRecordingFileLazily(file)
  } catch (error) {
    if (error instanceof RecordingError) {
      process.stderr.write(`sse-inspector replay: ${error.message}\n`)
      return 1
    }
    throw error
  }
  // Damage is found as the file is read: told once the reading is over.
  const tellProblems = () => {
    for (const problem of recording.problems)
      process.stderr.write(`sse-inspector replay: warning: ${problem}\n`)
  }
  if (values.serve) {
    let server
    try {
      server = await startReplayServer(recording, {
        port,
        speed,
        isLooping: values.loop,
        isEachAttempt: values['each-attempt'],
        corsOrigins,
      })
    } catch (error) {
      // A port in use is said as serve, demo and probe say it; anything else (the file) as it is.
      const where =
        (error as NodeJS.ErrnoException).syscall === 'listen' ? `cannot listen on 127.0.0.1:${port}: ` : ''
      process.stderr.write(`sse-inspector replay: ${where}${(error as Error).message}\n`)
      return 1
    }
    tellProblems()
    process.stdout.write(
      `Replaying ${file} at ${server.url} (speed ${speed}x${values['each-attempt'] ? ', each attempt in turn' : ''}${values.loop ? ', looping' : ''})\nCtrl-C to stop.\n`,
    )
    await untilInterrupted()
    await server.close()
    return 0
  }
  const noColor = Boolean(process.env.NO_COLOR)
  const printer = createRecordPrinter(output, {
    isShowingSecrets: true, // a recording holds only what it was allowed to keep
    hasHeaders: values.include ?? false,
    hasRequestHeaders: values.verbose ?? false,
    hasColor: process.stdout.isTTY === true && !noColor,
    hasStderrColor: process.stderr.isTTY === true && !noColor,
    isStdoutTerminal: process.stdout.isTTY === true,
    isStderrTerminal: process.stderr.isTTY === true,
  })
  // Written as it goes, a MiB at a time: a long recording's output is more than one string can hold.
  let out = ''
  let err = ''
  // Waits for stdout to take it: a slow reader (a pipe to less) must not make the output pile up in memory.
  const flush = async () => {
    const isFull = out !== '' && !process.stdout.write(out)
    if (err) process.stderr.write(err)
    out = ''
    err = ''
    if (isFull) await drainedOrClosed(process.stdout)
  }
  let last: StreamRecord | undefined
  let isCutByPicking = false
  for (const record of recording.records) {
    if (!isStreamRecord(record)) {
      if (output.mode === 'json') out += JSON.stringify(record) + '\n' // annotations, in order
      continue
    }
    last = record
    const printed = printer.print([record])
    out += printed.out
    err += printed.err
    if (printer.isSatisfied) {
      isCutByPicking = true
      break // -n: the recording's own close would say it went on
    }
    if (out.length + err.length > FLUSH_CHARS) await flush()
  }
  const end = printer.finish()
  out += end.out
  err += end.err
  // A recording whose last word is not a final close was cut short (its recorder killed mid-stream).
  if (!isCutByPicking && last && !isFinalClose(last)) err += `sse-inspector replay: ${RECORDING_ENDS_EARLY}\n`
  await flush()
  tellProblems()
  return 0
}

const FLUSH_CHARS = 1 << 20
