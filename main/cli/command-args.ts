import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UsageError } from './usage-error.ts'

type OptionDefinitions = NonNullable<ParseArgsConfig['options']>

/** The values parseArgs gives for option definitions `T` (what a command's parser reads). */
export type OptionValues<T extends OptionDefinitions> = {
  [K in keyof T]?: T[K] extends { multiple: true }
    ? string[]
    : T[K] extends { type: 'boolean' }
      ? boolean
      : string
}

/** node:util parseArgs for a command: strict, and any mistake becomes a UsageError (exit 2). */
export function parseCommandArgs<const T extends OptionDefinitions>(
  args: string[],
  options: T,
  allowPositionals = true,
) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true })
  } catch (error) {
    throw new UsageError(usageMessage(error as Error & { code?: string }, options))
  }
}

/** parseArgs' own messages talk about its API ("place it at the end after '--'"); these talk about the CLI. */
function usageMessage(error: Error & { code?: string }, options: OptionDefinitions): string {
  const quoted = /'([^']*)'/.exec(error.message)?.[1]
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const given = quoted ?? ''
      const suggestion = closestOption(given, options)
      const hint = suggestion ? `; did you mean ${suggestion}?` : ''
      return `unknown option ${given}${hint} (--help lists the options)`
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      // "Option '-X, --method <value>' argument missing" / "Option '--json' does not take an argument"
      const names = (quoted ?? '').replace(/ <value>$/, '')
      if (error.message.endsWith('argument missing')) return `${names} needs a value`
      if (error.message.includes('argument is ambiguous')) {
        // "--speed -1": a value that looks like an option
        const long = names.split(', ').at(-1)!
        return `${long} needs a value; one that starts with "-" is written ${long}=VALUE`
      }
      return `${names} takes no value`
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${JSON.stringify(quoted)}: this command takes none`
    default:
      return error.message
  }
}

/** The known option nearest to a mistyped one (a prefix of it, or at most two edits away). */
function closestOption(given: string, options: OptionDefinitions): string | undefined {
  const typed = given.replace(/^-+/, '')
  if (typed.length < 2) return undefined
  let best: { name: string; distance: number } | undefined
  for (const name of Object.keys(options)) {
    const distance = name.startsWith(typed) ? 0 : editDistance(typed, name)
    if (distance <= 2 && (!best || distance < best.distance)) best = { name, distance }
  }
  return best && `--${best.name}`
}

/** Levenshtein distance, for short option names. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)
      current.push(Math.min(substitution, previous[j]! + 1, current[j - 1]! + 1))
    }
    previous = current
  }
  return previous[b.length]!
}

/** Resolves when the user presses Ctrl-C (or the process is asked to stop). */
export function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
}
