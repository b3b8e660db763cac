import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, waitForPort } from './local-port.ts'

/** Whether Debian's Varnish is installed (.ci/run installs varnish). */
export const hasVarnish = spawnSync('varnishd', ['-V']).status === 0

/**
 * A real Varnish on 127.0.0.1 in front of `upstream` (http://host:port): the built-in VCL, with
 * `vcl` (subroutines) added, and `parameters` as -p name=value. Its working directory is its own. Runs
 * in the foreground as a child; stop() ends it.
 */
export async function startVarnish(
  upstream: string,
  { vcl = '', parameters = [] }: { vcl?: string; parameters?: string[] } = {},
): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'varnish-'))
  const port = await freePort()
  const { hostname, port: upstreamPort } = new URL(upstream)
  writeFileSync(
    join(dir, 'default.vcl'),
    `vcl 4.1;\nbackend default { .host = "${hostname}"; .port = "${upstreamPort}"; }\n${vcl}\n`,
  )
  // -j none: no jail, so it runs as the tests' user (as root it would read its files as its own user).
  const args = [
    '-F',
    '-j',
    'none',
    '-a',
    `127.0.0.1:${port}`,
    '-f',
    join(dir, 'default.vcl'),
    '-n',
    join(dir, 'work'),
  ]
  args.push('-s', 'malloc,16m', ...parameters.flatMap((parameter) => ['-p', parameter]))
  // A group of its own: the manager and the child it starts go together.
  const child: ChildProcess = spawn('varnishd', args, { stdio: 'ignore', detached: true })
  await waitForPort(port, 15_000, 'varnish') // it compiles its VCL first
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        process.kill(-child.pid!, 'SIGKILL')
      }),
  }
}
