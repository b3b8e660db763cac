import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { shellWords } from '../../../../shared/curl/curl-command.ts'
import { toInspectorCommand } from '../../../../shared/curl/inspector-command.ts'
import type { StreamRequest } from '../../../../shared/sse/stream-request.ts'
import { parseCommandArgs } from '../../../../main/cli/command-args.ts'
import { REQUEST_OPTIONS, requestFromValues } from '../../../../main/cli/request-options.ts'
import { useDemoServer } from '../../../support/demo.ts'
import { runCli } from '../../../support/run-cli.ts'

const demo = useDemoServer()

/** The request the CLI reads back from a command line the app wrote. */
function readBack(command: string): StreamRequest {
  const [, name, ...args] = shellWords(command)
  const { values, positionals } = parseCommandArgs(args, REQUEST_OPTIONS)
  return requestFromValues(values, positionals, name!)
}

test('inspector command: every request option the app holds reads back the same through the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'inspector-command-'))
  const [ca, cert, key] = ['ca.pem', 'cert.pem', 'key.pem'].map((name) => join(dir, name))
  for (const file of [ca, cert, key]) writeFileSync(file!, 'PEM')
  const request: StreamRequest = {
    url: 'https://api.example.test/v1/stream?topic=a%20b&t=1',
    method: 'PUT',
    headers: [
      ['Authorization', 'Bearer sk-secret'],
      ['X-Note', 'it\'s "quoted" $HOME'],
    ],
    body: '{"q":"x"}',
    lastEventId: 'id 7',
    maxEventBytes: 1024,
    reconnect: {
      isEnabled: true,
      maxAttempts: 3,
      initialRetryMs: 500,
      isKeepingCookies: true,
      isRetryingHttpErrors: true,
    },
    transport: {
      proxyUrl: 'http://user:pw@127.0.0.1:3128',
      isProxyTunnel: true,
      noProxy: 'internal.test',
      isInsecureTls: true,
      caFile: ca,
      certFile: cert,
      keyFile: key,
      keyPassphrase: 'open sesame',
      isHttp2Allowed: false,
      connectTimeoutMs: 2500,
      firstByteTimeoutMs: 60_000,
    },
  }
  const shown = toInspectorCommand('watch', request, { isShowingSecrets: true })
  expect(shown).toMatch(
    /^sse-inspector watch -X PUT 'https:\/\/api\.example\.test\/v1\/stream\?topic=a%20b&t=1' /,
  )
  const back = readBack(shown)
  expect(back).toMatchObject({ ...request, reconnect: { ...request.reconnect, backoff: undefined } })
  // redacted by default: the token, the proxy's password and the passphrase
  const redacted = toInspectorCommand('watch', request)
  expect(redacted).not.toMatch(/sk-secret|pw@|open sesame/)
  expect(readBack(redacted).headers).toContainEqual(['Authorization', 'Bearer [redacted]'])
  // the spec's reconnect needs no flag; off is --no-reconnect; a check gets none of them
  const plain = { url: 'http://h/s' }
  expect(toInspectorCommand('watch', { ...plain, reconnect: { isEnabled: true } })).toBe(
    'sse-inspector watch http://h/s',
  )
  expect(toInspectorCommand('watch', { ...plain, reconnect: { isEnabled: false } })).toBe(
    'sse-inspector watch http://h/s --no-reconnect',
  )
  // A POST reconnects only when asked: the app's choice says so either way, and reads back the same.
  const post = { ...plain, method: 'POST', body: '{}' }
  const reconnecting = toInspectorCommand('watch', { ...post, reconnect: { isEnabled: true } })
  expect(reconnecting).toBe(`sse-inspector watch http://h/s -d '{}' --reconnect`)
  expect(readBack(reconnecting).reconnect?.isEnabled).toBe(true)
  const once = toInspectorCommand('watch', { ...post, reconnect: { isEnabled: false } })
  expect(readBack(once).reconnect?.isEnabled).toBe(false)
  expect(
    toInspectorCommand(
      'check',
      { ...plain, reconnect: { isEnabled: true, maxAttempts: 2, isKeepingCookies: true } },
      {
        extraArgs: ['--duration', '2', '--origin', 'https://app.test'],
      },
    ),
  ).toBe('sse-inspector check http://h/s --keep-cookies --duration 2 --origin https://app.test')
})

test('inspector command: a check command the app writes runs as it says', async () => {
  const command = toInspectorCommand(
    'check',
    {
      url: `${demo.url}/v1/chat/completions`,
      method: 'POST',
      headers: [
        ['Authorization', 'Bearer demo'],
        ['Content-Type', 'application/json'],
      ],
      body: '{"messages":[{"role":"user","content":"hi"}],"stream":true}',
    },
    { extraArgs: ['--duration', '0.5', '--json'], isShowingSecrets: true },
  )
  const run = await runCli(shellWords(command).slice(1))
  const report = JSON.parse(run.stdout) as { findings: { id: string; status: string }[] }
  expect(report.findings.find((f) => f.id === 'status')).toMatchObject({ status: 'pass' })
})
