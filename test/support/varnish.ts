import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './local-port.ts'
import { runProxyProcess, type StartedProxy } from './proxy-process.ts'

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
): Promise<StartedProxy> {
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
  // Its manager forks the child that serves: killed as a group. It compiles its VCL before it listens.
  return runProxyProcess('varnishd', args, port, { killsGroup: true, startTimeoutMs: 15_000 })
}
