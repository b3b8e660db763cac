import { isFailureCause, type StreamRecord } from '../../shared/sse/stream-records.ts'
import { formatBytes } from '../../shared/format-bytes.ts'
import { openStream } from '../../shared/sse/open-stream.ts'
import type { StreamRequest } from '../../shared/sse/stream-request.ts'
import { nodeStreamDeps } from '../net/node-stream-deps.ts'
import { createRecorder, type Recorder } from '../recording/recorder.ts'
import { createLlmAnswerOutput } from './llm-answer-output.ts'
import { humanLine, jsonLine, type LineOptions } from './record-lines.ts'
import { UsageError } from './usage-error.ts'
import { parseWatchOptions } from './watch-options.ts'
import { createRecordPicker, eventCount } from './watch-selection.ts'
import { createWatchTally } from './watch-tally.ts'

/** What --data-only and --llm still report (on stderr): warnings, errors, and a close that is a failure. */
const isProblem = (record: StreamRecord): boolean =>
  record.kind === 'warning' ||
  record.kind === 'error' ||
  (record.kind === 'close' && isFailureCause(record.cause))

function startRecording(record: { file: string; isKeepingSecrets: boolean }, request: StreamRequest) {
  try {
    return createRecorder(record.file, request, { isKeepingSecrets: record.isKeepingSecrets })
  } catch (error) {
    throw new UsageError(`cannot write --record ${record.file}: ${(error as Error).message}`)
  }
}

/** Closes the recording; a failed write (disk full…) is reported, and the stream's exit code kept. */
async function finishRecording(recorder: Recorder, file: string): Promise<void> {
  try {
    const bytes = await recorder.close()
    process.stderr.write(`recorded to ${file} (${formatBytes(bytes)})\n`)
  } catch (error) {
    process.stderr.write(`sse-inspector watch: ${(error as Error).message}\n`)
  }
}

/** `sse-inspector watch`: prints every record of a stream; resolves to the exit code. */
export async function watchCommand(args: string[]): Promise<number> {
  const options = parseWatchOptions(args)
  const lineOptions: LineOptions = {
    hasChunks: options.hasChunks,
    isShowingSecrets: options.isShowingSecrets,
    hasHeaders: options.hasHeaders,
    hasColor: !options.isJson && process.stdout.isTTY === true && !process.env.NO_COLOR,
  }
  const toLine = options.isJson ? jsonLine : humanLine
  const stderrLineOptions = {
    ...lineOptions,
    hasColor: process.stderr.isTTY === true && !process.env.NO_COLOR,
  }
  const picker = createRecordPicker(options.selection)
  const { deps, close: closeTransport } = nodeStreamDeps(options.request.transport)
  const recorder = options.record && startRecording(options.record, options.request)

  const llmOutput =
    options.llm &&
    createLlmAnswerOutput({ customTextPath: options.llm.textPath, hasColor: stderrLineOptions.hasColor })
  const isDataOnly = options.isDataOnly || llmOutput !== undefined

  // Human output ends with a summary line on stderr, as ping does.
  const tally = options.isJson || isDataOnly ? undefined : createWatchTally()

  const print = (records: StreamRecord[]): void | Promise<void> => {
    recorder?.write(records)
    const picked = picker.pick(records)
    tally?.add(picked) // what was shown
    let text = ''
    for (const record of picked) {
      if (isDataOnly) {
        if (record.kind === 'event' && !llmOutput) text += record.data + '\n'
        else if (isProblem(record)) process.stderr.write(humanLine(record, stderrLineOptions) + '\n')
        continue
      }
      const line = toLine(record, lineOptions)
      if (line !== undefined) text += line + '\n'
    }
    if (llmOutput) {
      const { out, err } = llmOutput.push(picked)
      if (err) process.stderr.write(err)
      text += out
    }
    if (picker.isSatisfied) stream.close(`stopped after ${eventCount(options.selection.maxEvents!)} (-n)`)
    // Stop reading the network while a slow reader (a pipe) catches up, so memory stays bounded.
    if (text && !process.stdout.write(text))
      return new Promise((resolve) => process.stdout.once('drain', resolve))
  }

  const stream = openStream(options.request, deps, print)
  let wasInterrupted = false
  const onSignal = (signal: NodeJS.Signals) => {
    wasInterrupted = true
    stream.close(signal === 'SIGINT' ? 'interrupted (Ctrl-C)' : `stopped by ${signal}`)
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  const { maxTimeMs } = options
  const timer =
    maxTimeMs === undefined
      ? undefined
      : setTimeout(() => stream.close(`stopped after ${maxTimeMs / 1000} s (--max-time)`), maxTimeMs)
  try {
    const outcome = await stream.done
    if (tally) process.stderr.write(tally.summary() + '\n')
    if (recorder) await finishRecording(recorder, options.record!.file)
    if (llmOutput) {
      const { out, err } = llmOutput.finish()
      process.stdout.write(out)
      process.stderr.write(err)
    }
    if (wasInterrupted) return 130
    return isFailureCause(outcome.cause) ? 1 : 0
  } finally {
    clearTimeout(timer)
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await closeTransport()
  }
}
