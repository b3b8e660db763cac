import { LlmAssembler, type Assembled } from '../../shared/llm/llm-assembler.ts'
import type { StreamRecord } from '../../shared/sse/stream-records.ts'
import { plural } from '../../shared/plural.ts'
import { terminalSafe } from './terminal-safe.ts'

/** What to write for some records: the answer to stdout, reasoning and notes to stderr. */
export type Output = { out: string; err: string }

/**
 * `watch --llm`: the answer an LLM stream assembles, printed as it grows (as a chat client shows it),
 * the model's reasoning on stderr, and at the end a summary: format, model, finish reason, tokens,
 * time to first token, tokens/s, tool calls.
 */
export function createLlmAnswerOutput(options: {
  customTextPath?: string
  hasColor: boolean
  /** Text for a terminal gets its control characters as escapes (piped, it stays exact). */
  isStdoutTerminal?: boolean
  isStderrTerminal?: boolean
}) {
  const assembler = new LlmAssembler({ customTextPath: options.customTextPath })
  const forOut = (text: string) =>
    options.isStdoutTerminal ? terminalSafe(text, { keepsNewlines: true }) : text
  const forErr = (text: string) =>
    options.isStderrTerminal ? terminalSafe(text, { keepsNewlines: true }) : text
  const dim = (text: string) => (options.hasColor && text ? `\x1b[2m${text}\x1b[0m` : text)
  let events = 0
  let lastOut = '\n' // the last character written to stdout
  let isReasoningLineOpen = false // reasoning on stderr without its final newline yet
  return {
    push(records: readonly StreamRecord[]): Output {
      let out = ''
      let err = ''
      for (const record of records) {
        if (record.kind === 'request') assembler.markRequestSent(record.atMs)
        if (record.kind !== 'event') continue
        events++
        assembler.push(record)
        const added = assembler.takeNew()
        if (added.reasoning) {
          err += dim(forErr(added.reasoning))
          isReasoningLineOpen = !added.reasoning.endsWith('\n')
        }
        if (added.text && isReasoningLineOpen) {
          err += '\n' // the answer starts below the reasoning on a terminal
          isReasoningLineOpen = false
        }
        out += forOut(added.text)
      }
      if (out) lastOut = out.at(-1)!
      return { out, err }
    },
    /** The summary, once the stream has ended (and a newline to end the answer's last line). */
    finish(): Output {
      return {
        out: lastOut === '\n' ? '' : '\n',
        err: forErr(summaryLines(assembler.result, events).join('\n')) + '\n',
      }
    },
  }
}

function summaryLines(answer: Assembled, events: number): string[] {
  if (answer.format === undefined) {
    return [
      `── no LLM answer recognised in ${plural(events, 'event')} (OpenAI, Anthropic, Gemini and AI SDK streams are; --llm-path PATH reads another JSON shape)`,
    ]
  }
  const facts: string[] = [answer.format]
  if (answer.model) facts.push(`model ${answer.model}`)
  if (answer.finishReason) facts.push(`finish ${answer.finishReason}`)
  const { inputTokens, outputTokens } = answer.usage ?? {}
  if (inputTokens !== undefined || outputTokens !== undefined)
    facts.push(`tokens ${inputTokens ?? '?'} in, ${outputTokens ?? '?'} out`)
  if (answer.timeToFirstTokenMs !== undefined)
    facts.push(`first token ${Math.round(answer.timeToFirstTokenMs)} ms`)
  if (answer.tokensPerSecond !== undefined) facts.push(`${answer.tokensPerSecond.toFixed(1)} tokens/s`)
  const lines = [`── ${facts.join(' · ')}`]
  for (const call of answer.toolCalls) lines.push(`tool call ${call.name} ${call.arguments}`)
  for (const error of answer.errors) lines.push(`error in the stream: ${error}`)
  if (answer.skipped > 0)
    lines.push(`${answer.skipped} event${answer.skipped === 1 ? ' was' : 's were'} not part of the answer`)
  return lines
}
