import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { demoAnswer } from '../../../../main/servers/demo-llm-route.ts'
import { useDemoServer } from '../../../support/demo.ts'
import { CLI, runCli as cli, runCliInTerminal, spawnCli } from '../../../support/run-cli.ts'
import { startForwardProxy } from '../../../support/forward-proxy.ts'
import { startSocks5Proxy } from '../../../support/socks5-proxy.ts'
import { startUnacceptingListener } from '../../../support/unaccepting-listener.ts'
import {
  CLIENT_CERT_FILE,
  CLIENT_KEY_ENCRYPTED_FILE,
  CLIENT_KEY_FILE,
  CLIENT_KEY_PASSPHRASE,
  startTlsSseServer,
  TEST_CERT_FILE,
} from '../../../support/tls-server.ts'

const demo = useDemoServer()

const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)

test('cli watch --json: NDJSON records in arrival order, exit 0 on a clean end', async () => {
  const run = await cli([
    'watch',
    `${demo.url}/ticker?interval=5&count=2&retry=1500`,
    '--no-reconnect',
    '--json',
  ])
  expect(run.code).toBe(0)
  expect(run.stderr).toBe('')
  const records = jsonLines(run.stdout)
  expect(records.map((r) => r.kind)).toEqual(['request', 'open', 'retry', 'event', 'event', 'close'])
  expect(records[1]).toMatchObject({ kind: 'open', status: 200, httpVersion: '1.1' })
  expect((records[1]!.headers as Record<string, string>)['content-type']).toContain('text/event-stream')
  expect(records[2]).toMatchObject({ kind: 'retry', ms: 1500 })
  expect(records[3]).toMatchObject({ kind: 'event', type: 'tick', id: '1', lastEventId: '1' })
  expect(typeof records[3]!.seq).toBe('number')
  expect(typeof records[3]!.atMs).toBe('number')
  expect(JSON.parse(records[3]!.data as string)).toMatchObject({ seq: 1 })
  expect(records[5]).toMatchObject({ kind: 'close', cause: 'eof' })
})

test('cli watch: human output has a line per event and no colour when not a TTY', async () => {
  const run = await cli(['watch', `${demo.url}/ticker?interval=5&count=2&heartbeat=1`, '--no-reconnect'])
  expect(run.code).toBe(0)
  expect(run.stdout).not.toContain('\x1b[')
  const lines = run.stdout.trim().split('\n')
  expect(lines.filter((l) => /^\d\d:\d\d:\d\d\.\d{3} {2}event {5}tick id=\d/.test(l))).toHaveLength(2)
  const port = new URL(demo.url).port
  expect(
    // How long the connection took to make, and then the server to answer: a new connection, by IP.
    lines.some(
      (l) =>
        /open {6}200 OK HTTP\/1\.1 .* in \d+ ms \(connect \d+(\.\d)? ms, wait \d+(\.\d)? ms\) from 127\.0\.0\.1:(\d+)$/.exec(
          l,
        )?.[3] === port,
    ),
  ).toBe(true)
  expect(lines.some((l) => l.includes('retry     2000 ms'))).toBe(true)
  expect(lines.some((l) => l.includes('comment   heartbeat'))).toBe(true)
  expect(lines.at(-1)).toContain('close     eof')
  // ended, it sums up on stderr (as ping does): what was shown, the bytes, the time, the last id
  const comments = lines.filter((l) => l.includes('comment   heartbeat')).length
  expect(run.stderr).toMatch(
    new RegExp(
      `^── 2 events \\(the first after \\d+ ms\\), ${comments} comments?, 0 warnings, 0 reconnects · \\d+ B in \\d+\\.\\d s · last id 2\n$`,
    ),
  )
})

test('cli watch: a redirected stream shows its chain on the open line', async () => {
  const run = await cli(['watch', `${demo.url}/redirect?status=308&to=/ticker?count=1`, '--no-reconnect'])
  expect(run.code).toBe(0)
  expect(run.stdout).toContain(
    ` (redirected: 308 ${demo.url}/redirect?status=308&to=/ticker?count=1 → ${demo.url}/ticker?count=1)`,
  )
  const json = await cli(['watch', `${demo.url}/redirect?to=/ticker?count=1`, '--no-reconnect', '--json'])
  const open = json.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { kind: string; redirects?: unknown })
    .find((r) => r.kind === 'open')
  expect(open?.redirects).toEqual([
    { status: 307, url: `${demo.url}/redirect?to=/ticker?count=1`, location: '/ticker?count=1' },
  ])
})

test('cli watch: colour on a terminal, none there with NO_COLOR', async () => {
  const args = ['watch', `${demo.url}/ticker?interval=5&count=1`, '--no-reconnect']
  const coloured = await runCliInTerminal(args, { NO_COLOR: undefined })
  expect(coloured.code).toBe(0)
  expect(coloured.stdout).toMatch(new RegExp(String.raw`\u001b\[\d+m\d\d:\d\d:\d\d\.\d{3}`))
  expect(coloured.stdout).toContain('tick')
  const plain = await runCliInTerminal(args, { NO_COLOR: '1' })
  expect(plain.code).toBe(0)
  expect(plain.stdout).toContain('tick')
  expect(plain.stdout).not.toContain('\x1b[')
})

test('cli watch --json: response headers named like object properties are headers like any other', async () => {
  const server = createServer((_request, response) => {
    response.setHeader('content-type', 'text/event-stream')
    response.setHeader('constructor', 'edge')
    response.setHeader('__proto__', 'x')
    response.end('data: hi\n\n')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    const run = await cli(['watch', url, '--json', '--no-reconnect'])
    const open = jsonLines(run.stdout).find((r) => r.kind === 'open')!
    const headers = open.headers as Record<string, string>
    expect(headers.constructor).toBe('edge')
    expect(Object.getOwnPropertyDescriptor(headers, '__proto__')?.value).toBe('x')
  } finally {
    server.close()
  }
})

test('cli watch: -i prints the response headers under the open line, secrets redacted unless asked', async () => {
  const server = createServer((_request, response) => {
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'set-cookie': 'session=s3cret',
      'x-edge': 'fra1',
    })
    response.end('data: hi\n\n')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  try {
    const run = await cli(['watch', url, '-i', '--no-reconnect'])
    expect(run.code).toBe(0)
    const lines = run.stdout.split('\n')
    const open = lines.findIndex((l) => l.includes('open      200 OK'))
    const next = lines.findIndex((l, i) => i > open && /^\d\d:/.test(l))
    const below = lines.slice(open + 1, next).map((l) => l.trim())
    expect(below).toContain('x-edge: fra1')
    expect(below).toContain('set-cookie: [redacted]')
    expect(run.stdout).not.toContain('s3cret')
    const shown = await cli(['watch', url, '--include', '--show-secrets', '--no-reconnect'])
    expect(shown.stdout).toContain('set-cookie: session=s3cret')
    const plain = await cli(['watch', url, '--no-reconnect'])
    expect(plain.stdout).not.toContain('x-edge')
  } finally {
    await new Promise((resolve) => server.close(resolve))
  }
})

test('cli watch: warnings, comments and reconnects are printed', async () => {
  const warned = await cli(['watch', `${demo.url}/invalid-retry`, '--no-reconnect', '--json'])
  expect(jsonLines(warned.stdout).filter((r) => r.kind === 'warning')).toEqual([
    expect.objectContaining({ code: 'invalid-retry', message: expect.stringContaining('soon') }),
    expect.objectContaining({ code: 'invalid-retry' }),
  ])
  const resumed = await cli([
    'watch',
    `${demo.url}/ticker?interval=5&count=1&retry=10`,
    '--max-reconnects',
    '1',
    '--json',
  ])
  const reconnect = jsonLines(resumed.stdout).find((r) => r.kind === 'reconnect')
  expect(reconnect).toMatchObject({
    kind: 'reconnect',
    attempt: 1,
    reconnectAttempt: 1,
    delayMs: 10,
    lastEventId: '1',
  })
  expect(
    jsonLines(resumed.stdout)
      .filter((r) => r.kind === 'event')
      .map((r) => r.id),
  ).toEqual(['1', '2'])
})

test('cli watch: a POST is not sent again when its stream ends (a prompt answered twice is billed twice), unless asked', async () => {
  const post = [
    'watch',
    `${demo.url}/v1/chat/completions?interval=1`,
    '-H',
    'Authorization: Bearer demo',
    '-d',
    '{"messages":[{"role":"user","content":"once"}]}',
    '--retry-ms',
    '10',
    '--json',
  ]
  const requestsIn = (run: { stdout: string }) =>
    jsonLines(run.stdout).filter((r) => r.kind === 'request').length
  const once = await cli(post)
  expect(once.code).toBe(0) // it ends with the answer: a clean end
  expect(requestsIn(once)).toBe(1)
  expect(jsonLines(once.stdout).at(-1)).toMatchObject({ kind: 'close', cause: 'eof', willReconnect: false })
  // Asked for: --reconnect (here with a time limit), or a limit of reconnects.
  const again = await cli([...post, '--reconnect', '--max-time', '1'])
  expect(requestsIn(again)).toBeGreaterThan(1)
  expect(requestsIn(await cli([...post, '--max-reconnects', '2']))).toBe(3)
  // A GET reconnects as EventSource does.
  const get = await cli([
    'watch',
    `${demo.url}/ticker?interval=1&count=2&retry=10`,
    '--max-reconnects',
    '1',
    '--json',
  ])
  expect(requestsIn(get)).toBe(2)
  const both = await cli([...post, '--reconnect', '--no-reconnect'])
  expect(both.code).toBe(2)
  expect(both.stderr).toContain('use --no-reconnect or --reconnect, not both')
})

test('cli watch: POST with a bearer token to the LLM endpoint; the token is redacted in --json', async () => {
  const run = await cli([
    'watch',
    `${demo.url}/v1/chat/completions?interval=1`,
    '-H',
    'Authorization: Bearer sk-secret-123',
    '-H',
    'Content-Type: application/json',
    '-d',
    '{"messages":[{"role":"user","content":"ping"}]}',
    '--no-reconnect',
    '--json',
  ])
  expect(run.code).toBe(0)
  expect(run.stdout).not.toContain('sk-secret-123')
  const records = jsonLines(run.stdout)
  expect(records[0]).toMatchObject({
    kind: 'request',
    method: 'POST',
    headers: { authorization: 'Bearer [redacted]' },
  })
  expect(records.filter((r) => r.kind === 'event').at(-1)).toMatchObject({ data: '[DONE]' })
  const shown = await cli([
    'watch',
    `${demo.url}/echo-headers`,
    '-H',
    'Authorization: Bearer sk-1',
    '--no-reconnect',
    '--json',
    '--show-secrets',
  ])
  expect(jsonLines(shown.stdout)[0]).toMatchObject({ headers: { authorization: 'Bearer sk-1' } })
})

test('cli watch -u USER:PASS: Basic auth as curl sends it; an Authorization given wins; no password is bad usage', async () => {
  const echoedAuthorization = async (args: string[]) => {
    const run = await cli(['watch', `${demo.url}/echo-headers`, ...args, '--no-reconnect', '--data-only'])
    expect(run.code, run.stderr).toBe(0)
    return (JSON.parse(run.stdout) as { headers: Record<string, string> }).headers.authorization
  }
  expect(await echoedAuthorization(['-u', 'qa:pä ss'])).toBe(
    `Basic ${Buffer.from('qa:pä ss').toString('base64')}`,
  )
  expect(await echoedAuthorization(['-u', 'qa:x', '-H', 'Authorization: Bearer t'])).toBe('Bearer t')
  const bad = await cli(['watch', `${demo.url}/echo-headers`, '-u', 'qa'])
  expect(bad.code).toBe(2)
  expect(bad.stderr).toBe('sse-inspector watch: -u needs USER:PASS (curl would ask for the password)\n')
})

test('cli watch: exit 1 with the reason on an HTTP failure or a wrong Content-Type', async () => {
  const failed = await cli(['watch', `${demo.url}/status/500`])
  expect(failed.code).toBe(1)
  expect(failed.stdout).toMatch(/error +\[http-status\] HTTP 500/)
  const wrongType = await cli(['watch', `${demo.url}/wrong-content-type`])
  expect(wrongType.code).toBe(1)
  expect(wrongType.stdout).toContain('a stream must be text/event-stream')
})

test('cli watch: a 204 ends cleanly (exit 0) without reconnecting', async () => {
  const run = await cli(['watch', `${demo.url}/status/204`, '--json'])
  expect(run.code).toBe(0)
  expect(jsonLines(run.stdout).map((r) => r.kind)).toEqual(['request', 'open', 'close'])
})

test('cli watch: --max-time stops a live stream with exit 0', async () => {
  const run = await cli(['watch', `${demo.url}/stall`, '--max-time', '0.3', '--json'])
  expect(run.code).toBe(0)
  expect(jsonLines(run.stdout).at(-1)).toMatchObject({
    kind: 'close',
    cause: 'aborted',
    message: 'stopped after 0.3 s (--max-time)',
  })
})

test('cli watch: -n stops an endless stream after N events with exit 0', async () => {
  const run = await cli(['watch', `${demo.url}/ticker?interval=10`, '-n', '2', '--json'])
  expect(run.code).toBe(0)
  const records = jsonLines(run.stdout)
  expect(records.filter((r) => r.kind === 'event').map((r) => r.id)).toEqual(['1', '2'])
  expect(records.at(-2)).toMatchObject({ kind: 'event', id: '2' })
  expect(records.at(-1)).toMatchObject({
    kind: 'close',
    cause: 'aborted',
    message: 'stopped after 2 events (-n)',
  })
})

test('cli watch: --type shows only events of those types, -n counts only them, --record keeps them all', async () => {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' })
    response.end('event: a\ndata: 1\n\ndata: 2\n\n: beat\n\nevent: b\ndata: 3\n\nevent: a\ndata: 4\n\n')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  try {
    const typed = await cli(['watch', url, '--type', 'a', '--type', 'b', '--no-reconnect', '--json'])
    expect(typed.code).toBe(0)
    const records = jsonLines(typed.stdout)
    expect(records.filter((r) => r.kind === 'event').map((r) => r.data)).toEqual(['1', '3', '4'])
    expect(records.some((r) => r.kind === 'comment')).toBe(true) // other records still show
    const counted = await cli(['watch', url, '--type', 'message', '-n', '1', '--json'])
    expect(jsonLines(counted.stdout).filter((r) => r.kind === 'event')).toMatchObject([{ data: '2' }])
    // --record keeps the whole stream, whatever the display leaves out; secrets redacted
    const file = join(mkdtempSync(join(tmpdir(), 'watch-record-')), 'typed.rec')
    const recorded = await cli([
      'watch',
      url,
      '--type',
      'b',
      '--no-reconnect',
      '--record',
      file,
      '-H',
      'Authorization: Bearer s3cret',
    ])
    expect(recorded.code).toBe(0)
    expect(recorded.stdout.match(/event {5}/g)).toHaveLength(1)
    expect(recorded.stderr).toMatch(new RegExp(`recorded to ${file} \\(\\d`))
    const replayed = jsonLines((await cli(['replay', file, '--json'])).stdout)
    expect(replayed.filter((r) => r.kind === 'event').map((r) => r.data)).toEqual(['1', '2', '3', '4'])
    expect(readFileSync(file, 'utf8')).not.toContain('s3cret')
  } finally {
    server.close()
  }
})

test('cli watch: --data-only prints only the data of each event; problems go to stderr', async () => {
  const run = await cli(['watch', `${demo.url}/ticker?interval=5&count=2`, '--data-only', '--no-reconnect'])
  expect(run.code).toBe(0)
  expect(run.stderr).toBe('')
  const lines = run.stdout.trim().split('\n')
  expect(lines.map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual([1, 2])
  const failed = await cli(['watch', `${demo.url}/status/500`, '--data-only'])
  expect(failed.code).toBe(1)
  expect(failed.stdout).toBe('')
  expect(failed.stderr).toMatch(/error +\[http-status\] HTTP 500/)
  const warned = await cli(['watch', `${demo.url}/invalid-retry`, '--data-only', '--no-reconnect'])
  expect(warned.stdout.trim().split('\n')).toHaveLength(1)
  expect(warned.stderr).toMatch(/warning +\[invalid-retry\]/)
})

test('cli watch --curl: the request from a curl command, added to or overridden by the options', async () => {
  type Echo = { method: string; headers: Record<string, string>; body: string; lastEventId: string | null }
  const echoOf = async (args: string[]): Promise<Echo> => {
    const run = await cli(['watch', ...args, '--no-reconnect', '--data-only'])
    expect(run.code, run.stderr).toBe(0)
    return JSON.parse(run.stdout) as Echo
  }
  const command = `curl '${demo.url}/echo-headers' -H 'X-From-Curl: 1' -H 'Last-Event-ID: 41' --data-raw '{"q":1}' --compressed`
  const posted = await echoOf(['--curl', command, '-H', 'X-From-Cli: 2'])
  expect(posted).toMatchObject({ method: 'POST', body: '{"q":1}', lastEventId: '41' })
  expect(posted.headers).toMatchObject({ 'x-from-curl': '1', 'x-from-cli': '2' })
  // the options override: another method, body and Last-Event-ID; "curl" itself may be left out
  const overridden = await echoOf([
    '--curl',
    command.replace(/^curl /, ''),
    '-X',
    'PUT',
    '-d',
    'other',
    '--last-event-id',
    '7',
  ])
  expect(overridden).toMatchObject({ method: 'PUT', body: 'other', lastEventId: '7' })

  const twoUrls = await cli(['watch', '--curl', `curl ${demo.url}/ticker`, `${demo.url}/ticker`])
  expect(twoUrls.code).toBe(2)
  expect(twoUrls.stderr).toContain('give the URL in --curl or as an argument, not both')
  const unsupported = await cli(['watch', '--curl', `curl -Z ${demo.url}/ticker`])
  expect(unsupported.code).toBe(2)
  expect(unsupported.stderr).toContain('--curl: unsupported curl option -Z')
})

test('cli watch --keep-cookies: the reconnect carries the cookie the first response set', async () => {
  const idsOf = async (flags: string[]) =>
    jsonLines(
      (await cli(['watch', `${demo.url}/sticky`, '--max-reconnects', '1', '--json', ...flags])).stdout,
    )
      .filter((r) => r.kind === 'event')
      .map((r) => r.id)
  expect(await idsOf(['--keep-cookies'])).toEqual(['1', '2'])
  expect(await idsOf([])).toEqual(['1', '1'])
})

test('cli watch -v: each request line is followed by the headers it sent (cookies redacted unless asked)', async () => {
  const verbose = (flags: string[]) =>
    cli(['watch', `${demo.url}/sticky`, '--keep-cookies', '--max-reconnects', '1', '-v', ...flags])
  const indent = ' '.repeat(24)
  const shown = (await verbose(['--show-secrets'])).stdout
  const requests = shown.split(/^(?=\S+ {2}request)/m).filter((part) => part.includes('request   GET'))
  expect(requests).toHaveLength(2)
  expect(requests[0]).toContain(`${indent}Accept: text/event-stream\n`)
  expect(requests[0]).not.toContain('Cookie')
  expect(requests[1]).toContain(`${indent}Last-Event-ID: 1\n`)
  expect(requests[1]).toContain(`${indent}Cookie: backend=b1\n`)
  const redacted = (await verbose([])).stdout
  expect(redacted).toMatch(/^ {24}Cookie: (?!backend=b1).+$/m)
  expect(redacted).not.toContain('backend=b1')
})

test('cli watch --llm: the answer as it streams on stdout, a summary with tokens and timing on stderr', async () => {
  const run = await cli([
    'watch',
    `${demo.url}/v1/chat/completions`,
    '-H',
    'Authorization: Bearer demo',
    '-d',
    JSON.stringify({ messages: [{ role: 'user', content: 'hello' }], stream: true }),
    '--no-reconnect',
    '--llm',
  ])
  expect(run.code).toBe(0)
  expect(run.stdout).toBe(demoAnswer('hello').join('') + '\n')
  expect(run.stderr).toMatch(
    /^── openai-chat · model demo-model · finish stop · tokens 1 in, 15 out · first token \d+ ms · [\d.]+ tokens\/s\n$/,
  )
  const notLlm = await cli(['watch', `${demo.url}/ticker?interval=5&count=2`, '--no-reconnect', '--llm'])
  expect(notLlm.stdout).toBe('')
  expect(notLlm.stderr).toContain('no LLM answer recognised in 2 events')
})

test('cli watch --llm: reasoning on stderr above the answer, tool calls in the summary (Anthropic)', async () => {
  const body = readFileSync(new URL('../../../fixtures/llm/anthropic.sse', import.meta.url))
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' })
    response.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  try {
    const run = await cli(['watch', url, '--no-reconnect', '--llm'])
    expect(run.code).toBe(0)
    expect(run.stdout).toBe('Okay, let me check.\n')
    expect(run.stderr).toContain('I should call the tool.\n')
    expect(run.stderr).toContain(
      '── anthropic · model claude-sonnet-4-20250514 · finish tool_use · tokens 472 in, 89 out',
    )
    expect(run.stderr).toContain('tool call get_weather {"location": "San Francisco, CA"}')
  } finally {
    server.close()
  }
})

test('cli watch: bad usage exits 2 with one line on stderr and no stack trace', async () => {
  for (const args of [
    ['watch', 'not a url'],
    ['watch', 'ftp://example.com/'],
    ['watch'],
    ['watch', 'http://127.0.0.1/', '--bogus'],
    ['watch', 'http://127.0.0.1/', '-H', 'no colon here'],
    ['watch', 'http://127.0.0.1/', '--max-reconnects', 'many'],
    ['watch', 'http://127.0.0.1/', '--cacert', '/no/such/file.pem'],
    ['watch', 'http://127.0.0.1/', '--cert', '/no/such/client.pem'],
    ['watch', 'http://127.0.0.1/', '--key', '/no/such/key.pem'],
    ['watch', 'http://127.0.0.1/', '-n', '0'],
    ['watch', 'http://127.0.0.1/', '--json', '--data-only'],
    ['watch', 'http://127.0.0.1/', '--llm', '--json'],
    ['watch', 'http://127.0.0.1/', '--keep-secrets'],
    ['watch', 'http://h/', '--proxy', 'http://127.0.0.1:3128', '--resolve', 'h:80:127.0.0.1'],
    ['watch', 'http://127.0.0.1/', '--record', '/no/such/dir/file.rec'],
    ['nonsense'],
  ]) {
    const run = await cli(args)
    expect(run.code, args.join(' ')).toBe(2)
    expect(run.stderr.trim().split('\n')[0]).toMatch(/^sse-inspector/)
    expect(run.stderr).not.toMatch(/\n\s+at /)
  }
})

test('cli watch: a URL or a proxy typed without a scheme is read as http://, as curl reads them', async () => {
  const target = `${demo.url}/ticker?interval=5&count=1`
  const direct = await cli(['watch', target.replace('http://', ''), '--no-reconnect', '--json'])
  expect(direct.code).toBe(0)
  expect(jsonLines(direct.stdout)[0]).toMatchObject({ kind: 'request', url: target })
  const proxy = await startForwardProxy()
  try {
    const proxied = await cli([
      'watch',
      target,
      '--proxy',
      proxy.url.replace('http://', ''),
      '--no-reconnect',
    ])
    expect(proxied.code, proxied.stderr).toBe(0)
    expect(proxy.seen).toContain(`GET ${target}`)
  } finally {
    await proxy.close()
  }
})

test('cli watch: an unreachable endpoint exits 1 with the reason', async () => {
  const run = await cli(['watch', 'http://127.0.0.1:9/', '--no-reconnect'])
  expect(run.code).toBe(1)
  expect(run.stdout).toMatch(/error +\[connect\]/)
})

test('cli watch: --first-byte-timeout and --connect-timeout give up with exit 1 and say which', async () => {
  const hung = await cli([
    'watch',
    `${demo.url}/no-response`,
    '--no-reconnect',
    '--first-byte-timeout',
    '0.2',
  ])
  expect(hung.code).toBe(1)
  expect(hung.stdout).toMatch(/error +\[timeout\] connected, but no response headers within 0\.2 s/)
  const listener = await startUnacceptingListener()
  try {
    const dropped = await cli([
      'watch',
      `http://127.0.0.1:${listener.port}/`,
      '--no-reconnect',
      '--connect-timeout',
      '0.2',
    ])
    expect(dropped.code).toBe(1)
    expect(dropped.stdout).toMatch(/error +\[timeout\] no connection within 0\.2 s/)
  } finally {
    listener.close()
  }
})

test('cli watch: --resolve reaches a name with no DNS at the given address; a malformed entry is bad usage', async () => {
  const port = new URL(demo.url).port
  const run = await cli([
    'watch',
    `http://sse.example.invalid:${port}/ticker?interval=5&count=1`,
    '--resolve',
    `sse.example.invalid:${port}:127.0.0.1`,
    '--no-reconnect',
    '--json',
  ])
  expect(run.code).toBe(0)
  expect(jsonLines(run.stdout).filter((r) => r.kind === 'event')).toHaveLength(1)
  const bad = await cli(['watch', demo.url, '--resolve', 'sse.example.invalid:443'])
  expect(bad.code).toBe(2)
  expect(bad.stderr).toContain('--resolve wants HOST:PORT:ADDRESS')
})

test('cli: --help and --version', async () => {
  const help = await cli(['watch', '--help'])
  expect(help.code).toBe(0)
  expect(help.stdout).toContain('--last-event-id')
  const version = await cli(['--version'])
  expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
})

test('cli watch: Ctrl-C ends with exit 130, a close saying so and the summary', async () => {
  const watch = spawnCli(['watch', `${demo.url}/ticker?interval=10`])
  await watch.until('stdout', /tick id=2/)
  watch.child.kill('SIGINT')
  expect(await watch.exited).toBe(130)
  expect(watch.output.stdout.trim().split('\n').at(-1)).toContain('close     aborted: interrupted (Ctrl-C)')
  expect(watch.output.stderr).toMatch(/^── \d+ events \(the first after \d+ ms\), /)
})

test('cli demo: serves the demo routes on the given port', async () => {
  const child = spawn(process.execPath, [CLI, 'demo', '--port', '0'])
  try {
    const banner = await new Promise<string>((resolve) => {
      let out = ''
      child.stdout.on('data', (part: Buffer) => {
        out += part.toString()
        if (out.includes('Ctrl-C')) resolve(out)
      })
    })
    const url = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)![1]!
    expect(banner).toContain('/ticker')
    const index = (await (await fetch(url)).json()) as { routes: { path: string }[] }
    expect(index.routes.map((r) => r.path)).toContain('/firehose')
  } finally {
    child.kill('SIGINT')
  }
})

test('cli watch: mutual TLS with --cert and --key (and --cacert for the server)', async () => {
  const server = await startTlsSseServer({ isClientCertRequired: true })
  try {
    const run = await cli([
      'watch',
      server.url,
      '--cacert',
      TEST_CERT_FILE,
      '--cert',
      CLIENT_CERT_FILE,
      '--key',
      CLIENT_KEY_FILE,
      '--no-reconnect',
      '--json',
    ])
    expect(run.code).toBe(0)
    const events = jsonLines(run.stdout).filter((r) => r.kind === 'event')
    expect(events[0]).toMatchObject({ data: 'over HTTP/2.0 from sse-inspector-test-client' })
  } finally {
    await server.close()
  }
})

test('cli watch --proxy socks5://: HTTPS to an address through SOCKS5, nothing on stderr but the summary', async () => {
  const server = await startTlsSseServer()
  const socks = await startSocks5Proxy()
  try {
    const run = await cli([
      'watch',
      server.url,
      '--proxy',
      socks.url,
      '--cacert',
      TEST_CERT_FILE,
      '--no-reconnect',
    ])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`via proxy ${socks.url}`)
    expect(run.stderr).toMatch(/^── \d+ events? [^\n]*\n$/) // no experimental or deprecation warnings
    expect(socks.seen).toEqual([new URL(server.url).host])
    const bad = await cli(['watch', server.url, '--proxy', 'ftp://127.0.0.1:21'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain(
      '--proxy: the proxy URL must start with http://, https://, socks5:// or socks5h://',
    )
  } finally {
    await socks.close()
    await server.close()
  }
})

test('cli watch: --pass opens an encrypted client key; without it, exit 1 and the reason', async () => {
  const server = await startTlsSseServer({ isClientCertRequired: true })
  const args = ['watch', server.url, '--cacert', TEST_CERT_FILE, '-E', CLIENT_CERT_FILE]
  try {
    const run = await cli([
      ...args,
      '--key',
      CLIENT_KEY_ENCRYPTED_FILE,
      '--pass',
      CLIENT_KEY_PASSPHRASE,
      '--no-reconnect',
    ])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('over HTTP/2.0 from sse-inspector-test-client')
    const locked = await cli([...args, '--key', CLIENT_KEY_ENCRYPTED_FILE, '--no-reconnect'])
    expect(locked.code).toBe(1)
    expect(locked.stderr).toContain('the client key is encrypted: give its passphrase (--pass)')
    expect(locked.stderr).not.toMatch(/\n\s+at /)
  } finally {
    await server.close()
  }
})

test('cli watch: a token in the URL is redacted in output unless --show-secrets', async () => {
  const url = `${demo.url}/ticker?interval=5&count=1&access_token=tok-123`
  const run = await cli(['watch', url, '--no-reconnect', '--json'])
  expect(run.stdout).not.toContain('tok-123')
  expect(jsonLines(run.stdout)[0]).toMatchObject({ kind: 'request', url: url.replace('tok-123', 'REDACTED') })
  const human = await cli(['watch', url, '--no-reconnect'])
  expect(human.stdout).not.toContain('tok-123')
  const shown = await cli(['watch', url, '--no-reconnect', '--json', '--show-secrets'])
  expect(jsonLines(shown.stdout)[0]).toMatchObject({ kind: 'request', url })
})

test('cli watch: a reader that closes stdout or stderr early (| head, 2>&1 | head) ends it quietly, exit 0', async () => {
  const closing = async (stream: 'stdout' | 'stderr') => {
    const child = spawn(
      process.execPath,
      [CLI, 'watch', `${demo.url}/ticker?interval=20&count=5`, '--no-reconnect'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    child[stream].destroy() // the reader went away: the next write fails with EPIPE
    const other = stream === 'stdout' ? child.stderr : child.stdout
    let read = ''
    other.on('data', (part: Buffer) => (read += part.toString()))
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    return { code, read }
  }
  const withoutStdout = await closing('stdout')
  expect(withoutStdout.code).toBe(0)
  const withoutStderr = await closing('stderr')
  expect(withoutStderr).toMatchObject({ code: 0, read: expect.stringMatching(/event\s+tick id=5/) })
})

test('cli watch: a file option naming an endless device (/dev/zero) is refused, not read until memory runs out; a pipe is read to its end', async () => {
  const run = await cli(['watch', `${demo.url}/ticker`, '--data-file', '/dev/zero'])
  expect(run).toMatchObject({
    code: 2,
    stderr: 'sse-inspector watch: cannot read --data-file: it is larger than 64.0 MiB (or endless)\n',
  })
  // A certificate or key is a file: a device, or a named pipe no one writes to (opening it would wait
  // for ever), is refused before it is opened.
  const fifo = join(mkdtempSync(join(tmpdir(), 'sse-fifo-')), 'ca.pem')
  spawnSync('mkfifo', [fifo])
  for (const [flag, file] of [
    ['--cacert', '/dev/zero'],
    ['--cert', '/dev/urandom'],
    ['--cacert', fifo],
  ] as const) {
    const refused = await cli(['watch', `${demo.url}/ticker`, flag, file])
    expect(refused).toMatchObject({
      code: 2,
      stderr: `sse-inspector watch: cannot read ${flag}: it is not a file\n`,
    })
  }
  // What `--data-file <(make-body)` hands over: a pipe, read to its end.
  const script = `exec 3< <(printf '{"prompt":"hi"}'); exec "$0" "$@" --data-file /dev/fd/3`
  const args = [CLI, 'watch', `${demo.url}/echo-headers?count=1`, '--no-reconnect', '-n', '1', '--data-only']
  const child = spawn('bash', ['-c', script, process.execPath, ...args])
  let stdout = ''
  child.stdout.on('data', (part: Buffer) => (stdout += part.toString()))
  expect(await new Promise((resolve) => child.on('close', resolve))).toBe(0)
  expect(JSON.parse(stdout)).toMatchObject({ method: 'POST', body: '{"prompt":"hi"}' })
}, 30_000)

test('cli watch: a retry longer than a timer takes (2^31 ms, ~25 days) is waited for, not a reconnect storm', async () => {
  const run = await cli([
    'watch',
    `${demo.url}/ticker?count=1&interval=10&retry=9999999999`,
    '--max-time',
    '1.5',
    '--json',
  ])
  const records = jsonLines(run.stdout)
  expect(records.filter((r) => r.kind === 'request')).toHaveLength(1) // it was one every millisecond or so
  expect(records.filter((r) => r.kind === 'reconnect')).toMatchObject([{ delayMs: 9999999999 }])
  expect(run.stderr).not.toContain('TimeoutOverflowWarning')
})

test('watch --retry-http-errors: a 503 is asked again after its Retry-After, until the reconnect limit', async () => {
  const url = `${demo.url}/status/503?retryAfter=1`
  const run = await cli(['watch', url, '--retry-http-errors', '--max-reconnects', '1', '--json'])
  expect(run.code).toBe(1) // it ended refused
  const records = run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { kind: string; delayMs?: number; willReconnect?: boolean })
  expect(records.filter((r) => r.kind === 'open')).toHaveLength(2)
  expect(records.filter((r) => r.kind === 'reconnect')).toMatchObject([{ delayMs: 1000 }])
  expect(records.filter((r) => r.kind === 'close').map((r) => r.willReconnect)).toEqual([true, false])
  // Without it, as EventSource: one request, no reconnect.
  const once = await cli(['watch', url, '--json'])
  expect(once.stdout.match(/"kind":"open"/g)).toHaveLength(1)
  expect(once.stdout).not.toContain('"kind":"reconnect"')
})

test('cli watch -i over TLS: the TLS it came over above the headers, as curl -v says it; -k says untrusted', async () => {
  const server = await startTlsSseServer()
  try {
    const noteOf = async (trust: string[]) => {
      const run = await cli(['watch', server.url, ...trust, '-i', '--no-reconnect'])
      expect(run.code).toBe(0)
      const lines = run.stdout.split('\n')
      const open = lines.findIndex((l) => l.includes('open      200'))
      expect(lines[open]).toMatch(/ in \d+ ms \(connect [\d.]+ ms, TLS [\d.]+ ms, wait [\d.]+ ms\) from /)
      return lines[open + 1]!.trim()
    }
    expect(await noteOf(['--cacert', TEST_CERT_FILE])).toMatch(
      /^\* TLSv1\.3, TLS_\w+; certificate CN=127\.0\.0\.1, issued by CN=127\.0\.0\.1, until 2126-11-02$/,
    )
    expect(await noteOf(['-k'])).toMatch(/ \(not trusted: DEPTH_ZERO_SELF_SIGNED_CERT; accepted by -k\)$/)
  } finally {
    await server.close()
  }
})
