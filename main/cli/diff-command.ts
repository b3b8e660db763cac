import { describeChange } from '../../shared/recording/diff-recordings.ts'
import { RecordingError } from '../../shared/recording/recording-format.ts'
import { compareRecordingFiles } from '../recording/compare-recordings.ts'
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

/** Differences of each kind listed (the rest counted; --json lists them all). */
const SHOWN = 20

/** `sse-inspector diff`. */
export async function diffCommand(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    json: { type: 'boolean' },
    ignore: { type: 'string', multiple: true },
  })
  const { values, positionals } = parsed
  if (positionals.length !== 2) throw new UsageError('diff needs two recording files')
  let comparison
  try {
    comparison = await compareRecordingFiles(positionals[0]!, positionals[1]!, {
      ignored: values.ignore ?? [],
      listLimit: values.json ? Infinity : SHOWN,
    })
  } catch (error) {
    if (!(error instanceof RecordingError)) throw error
    process.stderr.write(`sse-inspector diff: ${error.message}\n`)
    return 2
  }
  const { diff, totals, events } = comparison
  if (values.json) process.stdout.write(JSON.stringify(diff, null, 2) + '\n')
  else {
    const lines = [
      `A: ${positionals[0]} (${plural(events.a, 'event')})`,
      `B: ${positionals[1]} (${plural(events.b, 'event')})`,
      `matched by ${diff.matchedBy}: ${totals.missing} missing in B, ${totals.extra} extra in B, ${totals.changed} changed` +
        (diff.sameButIgnored
          ? ` (${diff.sameButIgnored === 1 ? '1 more event differs' : `${diff.sameButIgnored} more events differ`} only in ignored fields or JSON formatting)`
          : ''),
      `arrival time B−A (each from its first event): p50 ${diff.arrivalDeltaMs.p50} ms, p95 ${diff.arrivalDeltaMs.p95} ms, max |Δ| ${diff.arrivalDeltaMs.max} ms over ${plural(diff.arrivalDeltaMs.count, 'event')}`,
      ...diff.missing.map((e) => `- missing ${e.id ?? ''} ${e.data.slice(0, 80)}`),
      ...diff.extra.map((e) => `+ extra   ${e.id ?? ''} ${e.data.slice(0, 80)}`),
      ...diff.changed.map((c) => `~ changed ${c.key}: ${describeChange(c)}`),
    ]
    process.stdout.write(terminalSafe(lines.join('\n'), { keepsNewlines: true }) + '\n')
  }
  return totals.missing + totals.extra + totals.changed > 0 ? 1 : 0
}
