import { spawnSync } from 'node:child_process'
import { expect, test } from 'vitest'
import { parseCurl, shellWords, toCurl } from '../../../shared/curl/curl-command.ts'

test('curl: shell words handle quotes, escapes and line continuations', () => {
  expect(shellWords(`curl -H 'A: b c' "x \\"y\\"" a\\ b \\\n --url u`)).toEqual([
    'curl',
    '-H',
    'A: b c',
    'x "y"',
    'a b',
    '--url',
    'u',
  ])
  expect(() => shellWords(`curl 'open`)).toThrow(/unterminated/)
})

test('curl: parses a POST with headers, body and auth as API docs write it', () => {
  const request = parseCurl(`curl https://api.example.com/v1/chat/completions \\
  -H "Content-Type: application/json" \\
  -H "Authorization: Bearer sk-123" \\
  -d '{"model":"m","stream":true}'`)
  expect(request).toMatchObject({
    url: 'https://api.example.com/v1/chat/completions',
    method: 'POST',
    headers: [
      ['Content-Type', 'application/json'],
      ['Authorization', 'Bearer sk-123'],
    ],
    body: '{"model":"m","stream":true}',
  })
})

test('curl: -u, -X, --json, -x, -k, Last-Event-ID and ignored flags', () => {
  const request = parseCurl(
    `curl -sN -X PUT --json '{"a":1}' -u user:pä -x http://proxy:3128 -k -H 'Last-Event-ID: 41' --url=http://h/s`,
  )
  expect(request.method).toBe('PUT')
  expect(request.url).toBe('http://h/s')
  expect(request.lastEventId).toBe('41')
  expect(request.headers).toContainEqual(['Authorization', `Basic ${btoa('user:p\xc3\xa4')}`])
  expect(request.headers).toContainEqual(['Content-Type', 'application/json'])
  expect(request.transport).toEqual({ proxyUrl: 'http://proxy:3128', isInsecureTls: true })
  expect(() => parseCurl('curl --frobnicate http://x')).toThrow(/unsupported curl option --frobnicate/)
  expect(() => parseCurl('wget http://x')).toThrow(/not a curl command/)
  expect(() => parseCurl('curl -H "A: b"')).toThrow(/no URL/)
  // curl would fetch both; a stream is one request (and the CLI's --curl "wget URL" reads as curl's words)
  expect(() => parseCurl('curl http://a/ http://b/')).toThrow(
    'the command names two URLs (http://a/ and http://b/): give one',
  )
})

test('curl: toCurl redacts secrets unless asked, and round-trips through parseCurl', () => {
  const request = {
    url: 'http://127.0.0.1:8787/v1/chat/completions',
    method: 'POST',
    headers: [
      ['Authorization', 'Bearer sk-secret'],
      ['X-Note', "it's here"],
    ] as const,
    body: '{"q":"a b"}',
    lastEventId: '7',
  }
  expect(toCurl(request)).toContain("'Authorization: Bearer [redacted]'")
  expect(toCurl(request)).not.toContain('sk-secret')
  const shown = toCurl(request, { isShowingSecrets: true })
  expect(parseCurl(shown)).toMatchObject({ ...request, headers: [...request.headers] })
})

test('curl: --cacert, --cert/-E, --key, --noproxy and --connect-timeout fill the transport, and toCurl writes them back', () => {
  const request = parseCurl(
    "curl -N --cacert /ca.pem -E /client.pem --key /client-key.pem --noproxy '*' --connect-timeout 2.5 https://h/s",
  )
  expect(request.transport).toEqual({
    caFile: '/ca.pem',
    certFile: '/client.pem',
    keyFile: '/client-key.pem',
    noProxy: '*',
    connectTimeoutMs: 2500,
  })
  expect(toCurl(request)).toContain('--connect-timeout 2.5')
  expect(parseCurl(toCurl(request)).transport).toEqual(request.transport)
  expect(() => parseCurl('curl --connect-timeout soon http://h/')).toThrow(/--connect-timeout needs seconds/)
  // past 24 days a timer fires at once: a timeout of months would time out at once
  expect(() => parseCurl('curl --connect-timeout 9999999 http://h/')).toThrow(/at most 24 days/)

  // --http1.1 turns HTTP/2 off, both ways; curl's own retries, --http2 (our default) and progress flags are ignored.
  const h1 = parseCurl('curl --http2 --http1.1 --retry 3 --no-progress-meter https://a.example/s')
  expect(h1.transport).toEqual({ isHttp2Allowed: false })
  expect(toCurl(h1)).toContain('--http1.1')
  expect(parseCurl(toCurl(h1)).transport).toEqual(h1.transport)
  expect(parseCurl('curl --http1.1 --http2 https://a.example/s').transport).toBeUndefined()

  // -p tunnels through the proxy (CONNECT) for http:// too, both ways
  const tunnel = parseCurl('curl -p -x http://127.0.0.1:3128 http://a.example/s')
  expect(tunnel.transport).toEqual({ proxyUrl: 'http://127.0.0.1:3128', isProxyTunnel: true })
  expect(parseCurl(toCurl(tunnel)).transport).toEqual(tunnel.transport)

  // --resolve, repeatable, both ways; a malformed one is refused.
  const resolved = parseCurl(
    'curl --resolve a.example:443:10.0.0.5 --resolve b.example:80:[::1] https://a.example/s',
  )
  expect(resolved.transport?.resolve).toEqual(['a.example:443:10.0.0.5', 'b.example:80:[::1]'])
  expect(parseCurl(toCurl(resolved)).transport).toEqual(resolved.transport)
  expect(() => parseCurl('curl --resolve a.example https://a.example/')).toThrow(/--resolve wants/)

  // A key passphrase is a secret: written redacted unless asked.
  const locked = parseCurl('curl -E /client.pem --key /key.pem --pass s3cret https://h/s')
  expect(locked.transport?.keyPassphrase).toBe('s3cret')
  expect(toCurl(locked)).toContain("--pass '[redacted]'")
  expect(toCurl(locked, { isShowingSecrets: true })).toContain('--pass s3cret')
})

test('curl: toCurl redacts URL tokens and a proxy password unless asked', () => {
  const request = {
    url: 'https://h/s?access_token=abc&x=1',
    transport: { proxyUrl: 'http://u:pw@proxy:3128' },
  }
  expect(toCurl(request)).toBe(
    "curl -N 'https://h/s?access_token=REDACTED&x=1' -x http://u:REDACTED@proxy:3128/",
  )
  expect(toCurl(request, { isShowingSecrets: true })).toContain("'https://h/s?access_token=abc&x=1'")
  expect(toCurl(request, { isShowingSecrets: true })).toContain('http://u:pw@proxy:3128')
})

test('curl: a SOCKS5 proxy from -x socks5h://, --socks5 or --socks5-hostname; toCurl writes it back as -x', () => {
  expect(parseCurl('curl -x socks5h://u:p@bastion:1080 http://h/s').transport).toEqual({
    proxyUrl: 'socks5h://u:p@bastion:1080',
  })
  expect(parseCurl('curl --socks5 bastion:1080 http://h/s').transport?.proxyUrl).toBe('socks5://bastion:1080')
  const request = parseCurl('curl --socks5-hostname bastion:1080 http://h/s')
  expect(request.transport?.proxyUrl).toBe('socks5h://bastion:1080')
  expect(toCurl(request)).toBe('curl -N http://h/s -x socks5h://bastion:1080')
})

test('curl: -c (a cookie jar) keeps cookies across reconnects; toCurl writes -c back', () => {
  const request = parseCurl('curl -c jar.txt http://h/s')
  expect(request.reconnect).toEqual({ isEnabled: true, isKeepingCookies: true })
  expect(toCurl(request)).toBe('curl -N http://h/s -c /dev/null')
  expect(parseCurl(toCurl(request)).reconnect?.isKeepingCookies).toBe(true)
  expect(parseCurl('curl http://h/s').reconnect).toBeUndefined()
})

test("curl: $'…' strings (browsers' Copy as cURL for bodies with newlines or quotes) read as bash reads them", () => {
  const commands = [
    `curl 'http://h/s' --data-raw $'{"content":"line1\\nline2, it\\'s \\u00e9 \\U0001F600"}'`,
    `curl $'http://h/\\x41\\101' -H $'X-Tab: a\\tb\\\\c' -d $'\\x68\\xc3\\xa9'`,
    `curl -H "Quote: \\"a\\" \\$HOME" -d 'it'\\''s' http://h/s`,
  ]
  for (const command of commands) {
    // bash itself, printing each word NUL-terminated
    const bash = spawnSync('bash', ['-c', `printf '%s\\0' ${command}`], { encoding: 'utf8' })
    expect(bash.status).toBe(0)
    expect(shellWords(command)).toEqual(bash.stdout.split('\0').slice(0, -1))
  }
  const request = parseCurl(commands[0]!)
  expect(request.body).toBe(`{"content":"line1\nline2, it's é 😀"}`)
  expect(() => shellWords(`curl -d $'open`)).toThrow("unterminated $'…' quote")
})

/** Chrome DevTools' "Copy as cURL (cmd)" quoting (Chromium's escapeStringWin), to write commands as Windows users paste them. */
function chromeCmdQuote(value: string): string {
  return (
    '^"' +
    value
      .replace(/\\/g, '\\\\')
      .replace(/"/g, '\\"')
      .replace(/[^a-zA-Z0-9\s_\-:=+~'/.',?;()*`&]/g, '^$&')
      .replace(/%(?=[a-zA-Z0-9_])/g, '%^')
      .replace(/\r?\n/g, '^\n\n') +
    '^"'
  )
}

test('curl: a command copied for Windows cmd.exe (^ escapes, ^" quotes, curl.exe) reads as the bash one does', () => {
  const url = 'https://api.example.com/v1/chat?stream=1&q=%20x&v=^caret'
  const body =
    '{"model":"m","text":"a \\"quoted\\" \\\\ back\\nslash, 100% {ok} <tag> |pipe| !bang! %PATH%"}\nsecond line'
  const headers = ['accept: text/event-stream', 'authorization: Bearer sk-"x"', 'x-odd: a^b&c|d']
  const bash = `curl '${url}' ${headers.map((h) => `-H '${h}'`).join(' ')} --data-raw $'${body.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}' --compressed`
  const cmd = [
    `curl ${chromeCmdQuote(url)}`,
    ...headers.map((h) => `-H ${chromeCmdQuote(h)}`),
    `--data-raw ${chromeCmdQuote(body)}`,
    '--compressed',
  ].join(' ^\n  ')
  const expected = parseCurl(bash)
  expect(expected).toMatchObject({ url, method: 'POST', body })
  expect(parseCurl(cmd)).toEqual(expected)
  expect(parseCurl(cmd.replace(/^curl /, 'curl.exe '))).toEqual(expected)
  expect(parseCurl(cmd.replace(/\n/g, '\r\n'))).toEqual(expected) // as the Windows clipboard holds it
})
