import { isFailureCause, type StreamRecord } from '../../shared/sse/stream-records.ts'
import { formatBytes } from '../../shared/format-bytes.ts'
import { openStream } from '../../shared/sse/open-stream.ts'
import { nodeStreamDeps } from '../net/node-stream-deps.ts'
import type { Recorder } from '../recording/recorder.ts'
import { startRecording } from './recording-output.ts'
import { parseWatchOptions } from './watch-options.ts'
import { plural } from '../../shared/plural.ts'
import { createRecordPrinter } from './record-printer.ts'
import { drainedOrClosed } from '../runtime/drained.ts'

/** Closes the recording; a failed write (disk full…) is reported, and the stream's exit code kept. */
/** Closes the --record file; false if it could not be written whole (said on stderr). */
async function finishRecording(recorder: Recorder, file: string): Promise<boolean> {
  try {
    const bytes = await recorder.close()
    process.stderr.write(`recorded to ${file} (${formatBytes(bytes)})\n`)
    return true
  } catch (error) {
    process.stderr.write(`sse-inspector watch: ${(error as Error).message}\n`)
    return false
  }
}

/** `sse-inspector watch`: prints every record of a stream; resolves to the exit code. */
export async function watchCommand(args: string[]): Promise<number> {
  const options = parseWatchOptions(args)
  const noColor = Boolean(process.env.NO_COLOR)
  const printer = createRecordPrinter(options.output, {
    isShowingSecrets: options.isShowingSecrets,
    hasHeaders: options.hasHeaders,
    hasRequestHeaders: options.hasRequestHeaders,
    hasColor: process.stdout.isTTY === true && !noColor,
    hasStderrColor: process.stderr.isTTY === true && !noColor,
    isStdoutTerminal: process.stdout.isTTY === true,
    isStderrTerminal: process.stderr.isTTY === true,
  })
  const { deps, close: closeTransport } = nodeStreamDeps(options.request.transport)
  const recorder =
    options.record &&
    startRecording(options.record.file, options.request, {
      ...options.record,
      // Said at once: the watch goes on, but the file no longer grows (a full disk).
      onFailure: (message) =>
        process.stderr.write(`sse-inspector watch: ${message}; watching on, not recording\n`),
    })

  const print = (records: StreamRecord[]): void | Promise<void> => {
    recorder?.write(records)
    const { out, err } = printer.print(records)
    if (err) process.stderr.write(err)
    const { maxEvents } = options.output.selection
    if (printer.isSatisfied) stream.close(`stopped after ${plural(maxEvents!, 'event')} (-n)`)
    // Stop reading the network while a slow reader (a pipe) catches up, so memory stays bounded.
    if (out && !process.stdout.write(out)) return drainedOrClosed(process.stdout)
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
    const { out, err } = printer.finish()
    process.stdout.write(out)
    process.stderr.write(err)
    const isRecorded = recorder ? await finishRecording(recorder, options.record!.file) : true
    if (wasInterrupted) return 130
    return isFailureCause(outcome.cause) || !isRecorded ? 1 : 0
  } finally {
    clearTimeout(timer)
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await closeTransport()
  }
}
