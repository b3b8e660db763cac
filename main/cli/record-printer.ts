import { isFailureCause, type StreamRecord } from '../../shared/sse/stream-records.ts'
import { createLlmAnswerOutput, type Output } from './llm-answer-output.ts'
import type { OutputOptions } from './output-options.ts'
import { humanLine, jsonLine, type LineOptions } from './record-lines.ts'
import { createRecordPicker } from './record-picker.ts'
import { createOutputTally } from './output-tally.ts'
import { terminalSafe } from './terminal-safe.ts'

/** What the data-only and LLM outputs still report (on stderr): warnings, errors, a failed close. */
const isProblem = (record: StreamRecord): boolean =>
  record.kind === 'warning' ||
  record.kind === 'error' ||
  (record.kind === 'close' && isFailureCause(record.cause))

/**
 * Turns records into what `watch` and `replay` print: stdout text and stderr text, batch by batch,
 * with --type and -n applied, and at the end a summary (human output, as ping's) or the LLM's.
 */
export function createRecordPrinter(
  output: OutputOptions,
  display: {
    isShowingSecrets: boolean
    hasHeaders?: boolean
    hasRequestHeaders?: boolean
    hasColor: boolean
    hasStderrColor: boolean
    /** Data for a terminal gets its control characters as escapes; piped, it stays exact. */
    isStdoutTerminal?: boolean
    isStderrTerminal?: boolean
  },
) {
  const lineOptions: LineOptions = {
    hasChunks: output.hasChunks,
    isShowingSecrets: display.isShowingSecrets,
    hasHeaders: display.hasHeaders,
    hasRequestHeaders: display.hasRequestHeaders,
    hasColor: output.mode === 'human' && display.hasColor,
  }
  const stderrLineOptions = { ...lineOptions, hasColor: display.hasStderrColor }
  const picker = createRecordPicker(output.selection)
  const tally = output.mode === 'human' ? createOutputTally() : undefined
  const llm =
    output.mode === 'llm'
      ? createLlmAnswerOutput({
          customTextPath: output.llmTextPath,
          hasColor: display.hasStderrColor,
          isStdoutTerminal: display.isStdoutTerminal,
          isStderrTerminal: display.isStderrTerminal,
        })
      : undefined
  const lineOf = (record: StreamRecord): string | undefined => {
    switch (output.mode) {
      case 'human':
        return humanLine(record, lineOptions)
      case 'json':
        return jsonLine(record, lineOptions)
      case 'data':
        if (record.kind !== 'event') return undefined
        return display.isStdoutTerminal ? terminalSafe(record.data, { keepsNewlines: true }) : record.data
      case 'llm':
        return undefined
    }
  }
  return {
    print(records: readonly StreamRecord[]): Output {
      const picked = picker.pick(records)
      tally?.add(picked) // what was shown
      let out = ''
      let err = ''
      for (const record of picked) {
        const line = lineOf(record)
        if (line !== undefined) out += line + '\n'
        else if ((output.mode === 'data' || output.mode === 'llm') && isProblem(record))
          err += humanLine(record, stderrLineOptions) + '\n'
      }
      if (llm) {
        const answer = llm.push(picked)
        out += answer.out
        err += answer.err
      }
      return { out, err }
    },
    /** Set once -n's last event is printed: the caller stops the stream. */
    get isSatisfied() {
      return picker.isSatisfied
    },
    /** What to print once the records have ended. */
    finish(): Output {
      if (llm) return llm.finish()
      return { out: '', err: tally ? tally.summary() + '\n' : '' }
    },
  }
}
