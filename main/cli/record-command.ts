import { openStream } from '../../shared/sse/open-stream.ts'
import { isFailureCause } from '../../shared/sse/stream-records.ts'
import { nodeStreamDeps } from '../net/node-stream-deps.ts'
import {
  countOption,
  secondsOption,
  REQUEST_OPTIONS,
  REQUEST_USAGE,
  requestFromValues,
} from './request-options.ts'
import { parseCommandArgs } from './command-args.ts'
import { fileRecording, libraryRecording } from './recording-output.ts'
import { defaultLibraryDir } from '../recording/session-library.ts'
import { UsageError } from './usage-error.ts'
import { plural } from '../../shared/plural.ts'

export const RECORD_USAGE = `Usage: sse-inspector record <url> [options] (-o FILE | --in-library)

Records a stream (every chunk with its arrival time, the response head and the connection
lifecycle) to a recording file, written as it happens. Secret header values are redacted
unless --keep-secrets. Recorded into the app's library, the app lists it (live while it records).

${REQUEST_USAGE}
Recording:
  -o, --output FILE          the recording file to write
      --in-library           record into the app's library instead (its folder: --library,
                             else $SSE_INSPECTOR_LIBRARY, else the user data folder)
      --library DIR          record into the library in DIR (implies --in-library)
      --name NAME            the recording's name in the library (default: method and URL)
      --max-time S           stop after S seconds
  -n, --max-events N         stop after N events
      --no-reconnect         stop when the stream ends (default: a GET reconnects as
                             EventSource does; any other method does not)
      --reconnect            reconnect a POST (any method but GET) too, sending its body again
      --max-reconnects N     stop after N reconnects (a POST's too)
      --retry-http-errors    reconnect after a 408, 429, 500, 502, 503 or 504 too, waiting
                             for its Retry-After (EventSource gives up on any status but 200)
      --keep-secrets         keep Authorization, cookies and tokens in the file
  -f, --force                replace FILE if it holds something (else it is kept: nothing is
                             recorded)

Exit status: 0 when recorded to a clean end or a limit, 1 on a connection or HTTP failure, 2 on bad usage.`

/** `sse-inspector record`: a stream to a recording file. */
export async function recordCommand(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    ...REQUEST_OPTIONS,
    output: { type: 'string', short: 'o' },
    'max-time': { type: 'string' },
    'max-events': { type: 'string', short: 'n' },
    'keep-secrets': { type: 'boolean' },
    force: { type: 'boolean', short: 'f' },
    'in-library': { type: 'boolean' },
    library: { type: 'string' },
    name: { type: 'string' },
  })
  const { values, positionals } = parsed
  const libraryDir = values.library ?? (values['in-library'] ? defaultLibraryDir() : undefined)
  if (!values.output && libraryDir === undefined)
    throw new UsageError('record needs -o FILE (or --in-library)')
  if (values.output && libraryDir !== undefined)
    throw new UsageError('record writes to -o FILE or into the library, not both')
  if (libraryDir !== undefined && (values['keep-secrets'] || values.force))
    throw new UsageError(
      `${values.force ? '--force' : '--keep-secrets'} goes with -o FILE: the library names its own files and keeps no secrets`,
    )
  if (values.name !== undefined && libraryDir === undefined)
    throw new UsageError('--name names a recording in the library (--in-library)')
  const request = requestFromValues(values, positionals, 'record')
  const maxTimeS = secondsOption(values['max-time'], '--max-time')
  const maxEvents = countOption(values['max-events'], '--max-events')
  // Nothing is kept any more (a full disk): stop now, not when the stream ends (perhaps never).
  const onFailure = (message: string) => stream.close(message)
  const recorder =
    libraryDir === undefined
      ? fileRecording(values.output!, request, {
          isKeepingSecrets: values['keep-secrets'] ?? false,
          isForced: values.force ?? false,
          onFailure,
        })
      : libraryRecording(libraryDir, request, { name: values.name, onFailure })
  const { deps, close } = nodeStreamDeps(request.transport)
  let events = 0
  let chunks = 0
  const stream = openStream(request, deps, (records) => {
    recorder.write(records)
    for (const record of records) {
      if (record.kind === 'chunk') chunks++
      else if (record.kind === 'event' && ++events === maxEvents)
        stream.close(`stopped after ${plural(maxEvents, 'event')} (-n)`)
    }
  })
  const stop = () => stream.close()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  const timer =
    maxTimeS === undefined
      ? undefined
      : setTimeout(() => stream.close(`stopped after ${maxTimeS} s (--max-time)`), maxTimeS * 1000)
  const outcome = await stream.done
  clearTimeout(timer)
  process.off('SIGINT', stop)
  process.off('SIGTERM', stop)
  const { bytesWritten, file } = await recorder.close(outcome.cause)
  await close()
  process.stderr.write(
    `recorded ${plural(events, 'event')} in ${plural(chunks, 'chunk')} (${bytesWritten} bytes) to ${file}\n`,
  )
  return isFailureCause(outcome.cause) ? 1 : 0
}
