import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './local-port.ts'
import { runProxyProcess, type StartedProxy } from './proxy-process.ts'

/** Whether Debian's HAProxy is installed (.ci/run installs haproxy). */
export const hasHaproxy = spawnSync('haproxy', ['-v']).status === 0

/**
 * A real HAProxy on 127.0.0.1 in HTTP mode in front of `upstream` (http://host:port), with `defaults` and
 * `backend` lines added to a minimal configuration (30 s client and server timeouts, as guides start
 * from). Runs in the foreground as a child; stop() ends it.
 */
export async function startHaproxy(
  upstream: string,
  { defaults = [], backend = [] }: { defaults?: string[]; backend?: string[] },
): Promise<StartedProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'haproxy-'))
  const port = await freePort()
  const config = `global
  maxconn 100
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
${defaults.map((line) => `  ${line}\n`).join('')}frontend sse
  bind 127.0.0.1:${port}
  default_backend app
backend app
${backend.map((line) => `  ${line}\n`).join('')}  server app ${new URL(upstream).host}
`
  writeFileSync(join(dir, 'haproxy.cfg'), config)
  return runProxyProcess('haproxy', ['-db', '-f', join(dir, 'haproxy.cfg')], port)
}
