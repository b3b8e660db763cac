import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './local-port.ts'
import { runProxyProcess, type StartedProxy } from './proxy-process.ts'

const APACHE = '/usr/sbin/apache2'
const MODULES = '/usr/lib/apache2/modules'

/** Whether Debian's Apache is installed (.ci/run installs apache2). */
export const hasApache = spawnSync(APACHE, ['-v']).status === 0

/**
 * A real Apache httpd on 127.0.0.1 reverse-proxying everything to `upstream` (mod_proxy_http, the
 * event MPM, `ProxyPass / upstream/ parameters`), with `directives` added to a minimal configuration.
 * Runs in the foreground as a child; stop() ends it.
 */
export async function startApache(
  upstream: string,
  { directives = [], parameters = '' }: { directives?: string[]; parameters?: string } = {},
): Promise<StartedProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'apache-'))
  const port = await freePort()
  const modules = ['mpm_event', 'authz_core', 'proxy', 'proxy_http', 'filter', 'deflate', 'env']
  const config = `ServerRoot ${dir}
PidFile ${dir}/httpd.pid
ErrorLog ${dir}/error.log
LogLevel error
Listen 127.0.0.1:${port}
ServerName 127.0.0.1
${modules.map((name) => `LoadModule ${name}_module ${MODULES}/mod_${name}.so\n`).join('')}ProxyPass / ${upstream}/ ${parameters}
${directives.join('\n')}
`
  writeFileSync(join(dir, 'httpd.conf'), config)
  return runProxyProcess(APACHE, ['-f', join(dir, 'httpd.conf'), '-DFOREGROUND'], port, { killsGroup: true })
}
