import { UsageError } from './usage-error.ts'

export const COMPLETION_USAGE = `Usage: sse-inspector completion [bash | zsh]

Prints a completion script for sse-inspector's commands and their options (and file names where
a command takes one). For this shell only:
  source <(sse-inspector completion bash)     # or zsh
For good: put that line in ~/.bashrc or ~/.zshrc.`

/** The words a command completes to: the options its usage text documents (not those it quotes). */
function optionsIn(usage: string): string[] {
  const unquoted = usage.replace(/"[^"\n]*"/g, '')
  return [...new Set(unquoted.match(/(?<![\w-])--?[a-zA-Z][\w-]*/g) ?? [])]
}

/** A bash completion function from the commands' usage texts (zsh runs it through bashcompinit). */
export function completionScript(usages: Record<string, string>, shell: 'bash' | 'zsh'): string {
  const names = Object.keys(usages)
  const arms = names
    .map((name) => `    ${name}) words="${[...optionsIn(usages[name]!), '--help'].join(' ')}" ;;`)
    .join('\n')
  const prelude = shell === 'zsh' ? 'autoload -U +X bashcompinit && bashcompinit\n' : ''
  return `${prelude}# sse-inspector completion (${shell}); made by \`sse-inspector completion ${shell}\`
_sse_inspector() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" words
  if [ "$COMP_CWORD" -eq 1 ]; then
    words="${names.join(' ')} --help --version"
  else
    case "\${COMP_WORDS[1]}" in
${arms}
    *) words="" ;;
    esac
  fi
  if [[ "$cur" == -* || "$COMP_CWORD" -eq 1 ]]; then
    COMPREPLY=( $(compgen -W "$words" -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
}
complete -o filenames -F _sse_inspector sse-inspector
`
}

/** \`sse-inspector completion\`: prints the script for the shell asked for (bash by default). */
export async function completionCommand(args: string[], usages: Record<string, string>): Promise<number> {
  const shell = args[0] ?? 'bash'
  if (args.length > 1 || (shell !== 'bash' && shell !== 'zsh'))
    throw new UsageError(`completion takes bash or zsh, got ${JSON.stringify(args.join(' '))}`)
  process.stdout.write(completionScript(usages, shell))
  return 0
}
