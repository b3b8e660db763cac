import { openStream } from '../../shared/sse/open-stream.ts'
import { isFailureCause } from '../../shared/sse/stream-records.ts'
import { nodeStreamDeps } from '../net/node-stream-deps.ts'
import {
  countOption,
  positiveNumber,
  REQUEST_OPTIONS,
  REQUEST_USAGE,
  requestFromValues,
} from './request-options.ts'
import { parseCommandArgs } from './command-args.ts'
import { startRecording } from './recording-output.ts'
import { UsageError } from './usage-error.ts'
import { plural } from '../../shared/plural.ts'

export const RECORD_USAGE = `Usage: sse-inspector record <url> [options] -o FILE

Records a stream (every chunk with its arrival time, the response head and the connection
lifecycle) to a recording file, written as it happens. Secret header values are redacted
unless --keep-secrets.

${REQUEST_USAGE}
Recording:
  -o, --output FILE          the recording file to write (required)
      --max-time S           stop after S seconds
  -n, --max-events N         stop after N events
      --no-reconnect         stop when the stream ends (default: reconnect as EventSource does)
      --max-reconnects N     stop after N reconnects
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
  })
  const { values, positionals } = parsed
  if (!values.output) throw new UsageError('record needs -o FILE')
  const request = requestFromValues(values, positionals, 'record')
  const maxTimeS = positiveNumber(values['max-time'], '--max-time')
  const maxEvents = countOption(values['max-events'], '--max-events')
  const { deps, close } = nodeStreamDeps(request.transport)
  const recorder = startRecording(values.output, request, {
    isKeepingSecrets: values['keep-secrets'] ?? false,
    isForced: values.force ?? false,
    // Nothing is kept any more (a full disk): stop now, not when the stream ends (perhaps never).
    onFailure: (message) => stream.close(message),
  })
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
  const bytesWritten = await recorder.close()
  await close()
  process.stderr.write(
    `recorded ${plural(events, 'event')} in ${plural(chunks, 'chunk')} (${bytesWritten} bytes) to ${values.output}\n`,
  )
  return isFailureCause(outcome.cause) ? 1 : 0
}
