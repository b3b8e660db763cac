import type { OptionValues } from './command-args.ts'
import { countOption } from './request-options.ts'
import { UsageError } from './usage-error.ts'
import type { EventSelection } from './record-picker.ts'

/** How records are printed: each as a line (human or NDJSON), events' data only, or an LLM's answer. */
export type OutputMode = 'human' | 'json' | 'data' | 'llm'

/** What `watch` and `replay` print, and which events. */
export type OutputOptions = {
  mode: OutputMode
  /** --llm-path: the JSON path to each event's text delta, for shapes the assembler does not know. */
  llmTextPath?: string
  hasChunks: boolean
  selection: EventSelection
}

/** The output options `watch` and `replay` share (node:util parseArgs definitions). */
export const OUTPUT_OPTIONS = {
  json: { type: 'boolean' },
  'data-only': { type: 'boolean' },
  llm: { type: 'boolean' },
  'llm-path': { type: 'string' },
  chunks: { type: 'boolean' },
  type: { type: 'string', multiple: true },
  'max-events': { type: 'string', short: 'n' },
} as const

export const OUTPUT_USAGE = `      --json                 NDJSON: one record per line
      --data-only            only each event's data, a line per event (warnings and errors
                             go to stderr): for piping into jq and the like
      --llm                  the answer an LLM stream (OpenAI, Anthropic, Gemini, AI SDK) assembles,
                             printed as it streams; reasoning, warnings and a summary (model,
                             tokens, time to first token, tokens/s, tool calls) on stderr
      --llm-path PATH        --llm for another JSON shape: the path to each event's text
                             delta (e.g. choices.0.text)
      --chunks               include network chunk records (with --json: bytes as base64)
      --type TYPE            only events of this type (repeatable; other records still show)
  -n, --max-events N         stop after N events (of --type, if given; exit 0)`

type OutputValues = OptionValues<typeof OUTPUT_OPTIONS>

/** The output options the shared flags describe; throws UsageError when they conflict. */
export function outputFromValues(values: OutputValues): OutputOptions {
  const isLlm = values.llm === true || values['llm-path'] !== undefined
  const chosen = [values.json && '--json', values['data-only'] && '--data-only', isLlm && '--llm'].filter(
    (flag) => typeof flag === 'string',
  )
  if (chosen.length > 1) throw new UsageError(`use one of ${chosen.join(', ')}, not several`)
  return {
    mode: values.json ? 'json' : values['data-only'] ? 'data' : isLlm ? 'llm' : 'human',
    llmTextPath: values['llm-path'],
    hasChunks: values.chunks ?? false,
    selection: {
      types: new Set(values.type ?? []),
      maxEvents: countOption(values['max-events'], '--max-events'),
    },
  }
}
