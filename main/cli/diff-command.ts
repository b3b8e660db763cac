import { describeChange, diffEvents } from '../../shared/recording/diff-recordings.ts'
import { RecordingError } from '../../shared/recording/recording-format.ts'
import { eventsIn, readRecordingFile } from '../recording/recording-file.ts'
import { parseCommandArgs } from './command-args.ts'
import { UsageError } from './usage-error.ts'
import { terminalSafe } from './terminal-safe.ts'
import { plural } from '../../shared/plural.ts'

export const DIFF_USAGE = `Usage: sse-inspector diff A B [--ignore FIELD]... [--json]

Compares the events of two recordings (direct vs through a proxy, before vs after a deploy): matched
by id, else by position; missing, extra and changed events; arrival-time differences. JSON data are
compared field by field (key order and spacing do not count), and a change names its fields.

      --ignore FIELD         leave a JSON field out of the comparison (repeatable): a key name
                             at any depth (created, sentAtMs) or a dot path (choices.0.index)
      --json                 the differences as JSON

Exit status: 0 when the events are the same, 1 when they differ, 2 on bad usage.`

/** `sse-inspector diff`. */
export async function diffCommand(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    json: { type: 'boolean' },
    ignore: { type: 'string', multiple: true },
  })
  const { values, positionals } = parsed
  if (positionals.length !== 2) throw new UsageError('diff needs two recording files')
  let a, b
  try {
    a = readNamedRecording(positionals[0]!)
    b = readNamedRecording(positionals[1]!)
  } catch (error) {
    if (!(error instanceof RecordingError)) throw error
    process.stderr.write(`sse-inspector diff: ${error.message}\n`)
    return 2
  }
  const diff = diffEvents(eventsIn(a.records), eventsIn(b.records), values.ignore ?? [])
  if (values.json) process.stdout.write(JSON.stringify(diff, null, 2) + '\n')
  else {
    const lines = [
      `A: ${positionals[0]} (${plural(eventsIn(a.records).length, 'event')})`,
      `B: ${positionals[1]} (${plural(eventsIn(b.records).length, 'event')})`,
      `matched by ${diff.matchedBy}: ${diff.missing.length} missing in B, ${diff.extra.length} extra in B, ${diff.changed.length} changed` +
        (diff.sameButIgnored
          ? ` (${diff.sameButIgnored === 1 ? '1 more event differs' : `${diff.sameButIgnored} more events differ`} only in ignored fields or JSON formatting)`
          : ''),
      `arrival time B−A (each from its first event): p50 ${diff.arrivalDeltaMs.p50} ms, p95 ${diff.arrivalDeltaMs.p95} ms, max |Δ| ${diff.arrivalDeltaMs.max} ms over ${plural(diff.arrivalDeltaMs.count, 'event')}`,
      ...diff.missing.slice(0, 20).map((e) => `- missing ${e.id ?? ''} ${e.data.slice(0, 80)}`),
      ...diff.extra.slice(0, 20).map((e) => `+ extra   ${e.id ?? ''} ${e.data.slice(0, 80)}`),
      ...diff.changed.slice(0, 20).map((c) => `~ changed ${c.key}: ${describeChange(c)}`),
    ]
    process.stdout.write(terminalSafe(lines.join('\n'), { keepsNewlines: true }) + '\n')
  }
  return diff.missing.length + diff.extra.length + diff.changed.length > 0 ? 1 : 0
}

/** A recording, its errors naming the file (of the two, which one is no recording). */
function readNamedRecording(file: string): ReturnType<typeof readRecordingFile> {
  try {
    return readRecordingFile(file)
  } catch (error) {
    if (error instanceof RecordingError && !error.message.includes(file))
      throw new RecordingError(`${file}: ${error.message}`)
    throw error
  }
}
