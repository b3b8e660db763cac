import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './local-port.ts'
import { runProxyProcess, type StartedProxy } from './proxy-process.ts'

/** Whether Debian's nginx is installed (.ci/run installs nginx-light). */
export const hasNginx = spawnSync('nginx', ['-v']).status === 0

/**
 * A real nginx on 127.0.0.1 in front of `upstream`, configured by `location` (directives inside
 * `location / {}` after proxy_pass); with `tls`, it listens for HTTPS with HTTP/2 offered, as a TLS
 * front usually does. Runs in the foreground as a child; stop() ends it.
 */
export async function startNginx(
  upstream: string,
  location: string,
  tls?: { certFile: string; keyFile: string },
): Promise<StartedProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'nginx-'))
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, sub))
  const port = await freePort()
  const config = `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 128; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port}${tls ? ' ssl http2' : ''};
${tls ? `    ssl_certificate ${tls.certFile};\n    ssl_certificate_key ${tls.keyFile};\n` : ''}    location / {
      proxy_pass ${upstream};
      ${location}
    }
  }
}
`
  writeFileSync(join(dir, 'nginx.conf'), config)
  return runProxyProcess('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')], port, {
    isTls: tls !== undefined,
  })
}
