import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './local-port.ts'
import { runProxyProcess, type StartedProxy } from './proxy-process.ts'

/** Whether Debian's Caddy is installed (.ci/run installs caddy). */
export const hasCaddy = spawnSync('caddy', ['version']).status === 0

/**
 * A real Caddy on 127.0.0.1 (plain HTTP, no admin endpoint) reverse-proxying to `upstream`
 * (http://host:port), with `directives` in the site block before reverse_proxy. Its state stays in a
 * directory of its own. Runs in the foreground as a child; stop() ends it.
 */
export async function startCaddy(upstream: string, directives: string[] = []): Promise<StartedProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'caddy-'))
  const port = await freePort()
  const config = `{
  admin off
  auto_https off
  storage file_system ${dir}/data
}
http://127.0.0.1:${port} {
  bind 127.0.0.1
${directives.map((line) => `  ${line}\n`).join('')}  reverse_proxy ${new URL(upstream).host}
}
`
  writeFileSync(join(dir, 'Caddyfile'), config)
  return runProxyProcess(
    'caddy',
    ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'],
    port,
    {
      env: {
        ...process.env,
        HOME: dir,
        XDG_DATA_HOME: join(dir, 'data'),
        XDG_CONFIG_HOME: join(dir, 'config'),
      },
    },
  )
}
