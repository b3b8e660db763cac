import type { StreamRequest } from '../../shared/sse/stream-request.ts'
import {
  countOption,
  positiveNumber,
  REQUEST_OPTIONS,
  REQUEST_USAGE,
  requestFromValues,
} from './request-options.ts'
import { parseCommandArgs } from './command-args.ts'
import { UsageError } from './usage-error.ts'
import type { WatchSelection } from './watch-selection.ts'

/** What `watch` was asked to do: the request, and how to print and when to stop. */
export type WatchOptions = {
  request: StreamRequest
  isJson: boolean
  hasChunks: boolean
  isShowingSecrets: boolean
  hasHeaders: boolean
  /** Only each event's data on stdout (warnings and errors to stderr): for pipes into jq and the like. */
  isDataOnly: boolean
  /** Print the answer an LLM stream assembles (`llm.textPath`: a JSON path for other shapes). */
  llm?: { textPath?: string }
  selection: WatchSelection
  maxTimeMs?: number
  /** Also record the stream to this file (as `record` does), secrets redacted unless kept. */
  record?: { file: string; isKeepingSecrets: boolean }
}

export const WATCH_USAGE = `Usage: sse-inspector watch <url> [options]

${REQUEST_USAGE}
Reconnecting (default: as EventSource does, forever):
      --no-reconnect         exit when the stream ends
      --max-reconnects N     stop after N reconnects
      --retry-ms MS          delay before reconnecting until the server sends retry:
      --backoff MAX_MS       exponential backoff with jitter, capped at MAX_MS
      --max-event-bytes N    fail on a line or event larger than N bytes (default 16 MiB)
Output:
      --json                 NDJSON: one record per line
      --data-only            only each event's data, a line per event (warnings and errors
                             go to stderr): for piping into jq and the like
      --llm                  the answer an LLM stream (OpenAI, Anthropic, Gemini) assembles,
                             printed as it streams; reasoning, warnings and a summary (model,
                             tokens, time to first token, tokens/s, tool calls) on stderr
      --llm-path PATH        --llm for another JSON shape: the path to each event's text
                             delta (e.g. choices.0.text)
  -i, --include              print the response headers under each open line
      --chunks               include network chunk records (with --json: bytes as base64)
      --show-secrets         do not redact Authorization, cookies and tokens in the output
      --type TYPE            only events of this type (repeatable; other records still show)
  -n, --max-events N         stop after N events (of --type, if given; exit 0)
      --max-time S           stop after S seconds (exit 0)
      --record FILE          also record the whole stream to FILE as it happens (what
                             --type or -n leave out too); replay or open it later
      --keep-secrets         keep Authorization, cookies and tokens in that file

Exit status: 0 clean end (or a limit reached), 1 connection or HTTP failure, 2 bad usage,
130 Ctrl-C.`

/** Parses `watch` arguments into a request and output options; throws UsageError on bad input. */
export function parseWatchOptions(args: string[]): WatchOptions {
  const parsed = parseCommandArgs(args, {
    ...REQUEST_OPTIONS,
    json: { type: 'boolean' },
    include: { type: 'boolean', short: 'i' },
    chunks: { type: 'boolean' },
    'show-secrets': { type: 'boolean' },
    'max-time': { type: 'string' },
    'data-only': { type: 'boolean' },
    llm: { type: 'boolean' },
    'llm-path': { type: 'string' },
    type: { type: 'string', multiple: true },
    'max-events': { type: 'string', short: 'n' },
    record: { type: 'string' },
    'keep-secrets': { type: 'boolean' },
  })
  const { values, positionals } = parsed
  const maxTimeS = positiveNumber(values['max-time'], '--max-time')
  const maxEvents = countOption(values['max-events'], '--max-events')
  if (values['keep-secrets'] && values.record === undefined)
    throw new UsageError('--keep-secrets is about the --record file; give --record FILE')
  const isLlm = values.llm === true || values['llm-path'] !== undefined
  const outputs = [values.json && '--json', values['data-only'] && '--data-only', isLlm && '--llm']
  const chosen = outputs.filter((flag) => typeof flag === 'string')
  if (chosen.length > 1) throw new UsageError(`use one of ${chosen.join(', ')}, not several`)
  return {
    request: requestFromValues(values, positionals, 'watch'),
    isJson: values.json ?? false,
    hasChunks: values.chunks ?? false,
    isShowingSecrets: values['show-secrets'] ?? false,
    hasHeaders: values.include ?? false,
    isDataOnly: values['data-only'] ?? false,
    llm: isLlm ? { textPath: values['llm-path'] } : undefined,
    selection: {
      types: new Set(values.type ?? []),
      maxEvents,
    },
    maxTimeMs: maxTimeS === undefined ? undefined : maxTimeS * 1000,
    record:
      values.record === undefined
        ? undefined
        : { file: values.record, isKeepingSecrets: values['keep-secrets'] ?? false },
  }
}
