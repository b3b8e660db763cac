import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const CLI = fileURLToPath(new URL('../../bin/sse-inspector.js', import.meta.url))

export type CliRun = { code: number | null; stdout: string; stderr: string }

/** Runs the real CLI as a child process, like a user would. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return outputOf(spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } }))
}

/**
 * Runs the real CLI unable to write files past `fileSizeBytes` (util-linux prlimit): its writes fail as
 * on a disk that fills up (EFBIG), with no root and no disk to fill.
 */
export function runCliWithFileLimit(fileSizeBytes: number, args: string[]): Promise<CliRun> {
  return outputOf(spawn('prlimit', [`--fsize=${fileSizeBytes}`, process.execPath, CLI, ...args]))
}

/** Collects a child's output until it exits. */
function outputOf(child: ChildProcessWithoutNullStreams): Promise<CliRun> {
  return new Promise((resolve) => {
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (part: Buffer) => (stdout += part.toString()))
    child.stderr.on('data', (part: Buffer) => (stderr += part.toString()))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

export { CLI }

/** A CLI process left running: its output so far, a wait for what it prints, and its exit. */
export type RunningCli = {
  child: ChildProcessWithoutNullStreams
  output: { stdout: string; stderr: string }
  /** Resolves once `stream` (stdout or stderr) has printed something matching `pattern`. */
  until: (stream: 'stdout' | 'stderr', pattern: RegExp) => Promise<void>
  exited: Promise<number | null>
}

/** Starts the CLI and keeps its output as it comes, for tests that act while it runs. */
export function spawnCli(args: string[], env: Record<string, string> = {}): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } })
  const output = { stdout: '', stderr: '' }
  child.stdout.on('data', (part: Buffer) => (output.stdout += part.toString()))
  child.stderr.on('data', (part: Buffer) => (output.stderr += part.toString()))
  const until = (stream: 'stdout' | 'stderr', pattern: RegExp) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (pattern.test(output[stream])) resolve()
      }
      check()
      child[stream].on('data', check)
    })
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
  return { child, output, until, exited }
}

/**
 * Runs the CLI on a terminal: a pseudo-terminal from util-linux's `script`, so stdout is a TTY as in
 * an interactive shell. The terminal's output (CRLF line ends) comes back as stdout.
 */
export function runCliInTerminal(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<CliRun> {
  const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`
  const command = [process.execPath, CLI, ...args].map(quote).join(' ')
  return outputOf(spawn('script', ['-qec', command, '/dev/null'], { env: { ...process.env, ...env } }))
}

/** Starts a long-running CLI command (demo, probe, serve, replay --serve) and waits for its URL. */
export async function startCliServer(
  args: string[],
  urlPattern: RegExp,
): Promise<{ url: string; stop: () => void }> {
  const { spawn } = await import('node:child_process')
  const child = spawn(process.execPath, [CLI, ...args])
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (part: Buffer) => {
      out += part.toString()
      const match = urlPattern.exec(out)
      if (match) resolve(match[1]!)
    })
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}: ${out}`)))
  })
  return { url, stop: () => child.kill('SIGINT') }
}
