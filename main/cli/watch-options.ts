import type { StreamRequest } from '../../shared/sse/stream-request.ts'
import { parseCommandArgs } from './command-args.ts'
import { OUTPUT_OPTIONS, OUTPUT_USAGE, outputFromValues, type OutputOptions } from './output-options.ts'
import { secondsOption, REQUEST_OPTIONS, REQUEST_USAGE, requestFromValues } from './request-options.ts'
import { UsageError } from './usage-error.ts'

/** What `watch` was asked to do: the request, and how to print and when to stop. */
export type WatchOptions = {
  request: StreamRequest
  output: OutputOptions
  isShowingSecrets: boolean
  hasHeaders: boolean
  hasRequestHeaders: boolean
  maxTimeMs?: number
  /** Also record the stream to this file (as `record` does), secrets redacted unless kept. */
  record?: { file: string; isKeepingSecrets: boolean; isForced: boolean }
}

export const WATCH_USAGE = `Usage: sse-inspector watch <url> [options]

${REQUEST_USAGE}
Reconnecting (default: a GET as EventSource does, forever; any other method not at all):
      --no-reconnect         exit when the stream ends
      --reconnect            reconnect a POST (any method but GET) too: each reconnect sends
                             its body again (an LLM prompt is answered, and billed, again)
      --max-reconnects N     stop after N reconnects (a POST's too)
      --retry-http-errors    reconnect after a 408, 429, 500, 502, 503 or 504 too, waiting
                             for its Retry-After (EventSource gives up on any status but 200)
      --retry-ms MS          delay before reconnecting until the server sends retry:
      --backoff MAX_MS       exponential backoff with jitter, capped at MAX_MS
      --max-event-bytes N    fail on a line or event larger than N bytes (default 16 MiB)
Output:
${OUTPUT_USAGE}
  -i, --include              print the response headers under each open line
  -v, --verbose              print the request headers under each request line (what each
                             attempt sent: Last-Event-ID, cookies…)
      --show-secrets         do not redact Authorization, cookies and tokens in the output
      --max-time S           stop after S seconds (exit 0)
      --record FILE          also record the whole stream to FILE as it happens (what
                             --type or -n leave out too); replay or open it later
      --keep-secrets         keep Authorization, cookies and tokens in that file
  -f, --force                replace that file if it holds something

Exit status: 0 clean end (or a limit reached), 1 connection or HTTP failure (or a --record file
that could not be written whole), 2 bad usage, 130 Ctrl-C.`

/** Parses `watch` arguments into a request and output options; throws UsageError on bad input. */
export function parseWatchOptions(args: string[]): WatchOptions {
  const parsed = parseCommandArgs(args, {
    ...REQUEST_OPTIONS,
    ...OUTPUT_OPTIONS,
    include: { type: 'boolean', short: 'i' },
    verbose: { type: 'boolean', short: 'v' },
    'show-secrets': { type: 'boolean' },
    'max-time': { type: 'string' },
    record: { type: 'string' },
    'keep-secrets': { type: 'boolean' },
    force: { type: 'boolean', short: 'f' },
  })
  const { values, positionals } = parsed
  const maxTimeS = secondsOption(values['max-time'], '--max-time')
  for (const flag of ['keep-secrets', 'force'] as const) {
    if (values[flag] && values.record === undefined)
      throw new UsageError(`--${flag} is about the --record file; give --record FILE`)
  }
  return {
    request: requestFromValues(values, positionals, 'watch'),
    output: outputFromValues(values),
    isShowingSecrets: values['show-secrets'] ?? false,
    hasHeaders: values.include ?? false,
    hasRequestHeaders: values.verbose ?? false,
    maxTimeMs: maxTimeS === undefined ? undefined : maxTimeS * 1000,
    record:
      values.record === undefined
        ? undefined
        : {
            file: values.record,
            isKeepingSecrets: values['keep-secrets'] ?? false,
            isForced: values.force ?? false,
          },
  }
}
