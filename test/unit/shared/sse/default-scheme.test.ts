import { expect, test } from 'vitest'
import { parseStreamRequest } from '../../../../shared/api-validation.ts'
import { parseCurl } from '../../../../shared/curl/curl-command.ts'
import { withDefaultScheme } from '../../../../shared/sse/default-scheme.ts'
import { parseProxyUrl } from '../../../../shared/sse/proxy-url.ts'

test('a URL typed without a scheme gets http://, as curl and address bars read it', () => {
  const cases: [string, string][] = [
    ['localhost:8787/ticker', 'http://localhost:8787/ticker'],
    [' 127.0.0.1:8787 ', 'http://127.0.0.1:8787'],
    ['example.com/events?x=1', 'http://example.com/events?x=1'],
    ['[::1]:8787/x', 'http://[::1]:8787/x'],
    ['localhost', 'http://localhost'],
    // A scheme is kept, to be accepted or refused by name.
    ['https://example.com/', 'https://example.com/'],
    ['HTTP://example.com/', 'HTTP://example.com/'],
    ['socks5h://127.0.0.1:1080', 'socks5h://127.0.0.1:1080'],
    ['file:///etc/passwd', 'file:///etc/passwd'],
    ['mailto:someone', 'mailto:someone'],
    ['', ''],
  ]
  for (const [typed, meant] of cases) expect(withDefaultScheme(typed), typed).toBe(meant)
})

test('the API, the curl parser and the proxy field all read a schemeless URL as http://', () => {
  expect(parseStreamRequest({ url: 'localhost:8787/ticker' }).url).toBe('http://localhost:8787/ticker')
  expect(() => parseStreamRequest({ url: 'file:///etc/passwd' })).toThrow(/must start with http/)
  expect(parseCurl('curl -N localhost:8787/x').url).toBe('http://localhost:8787/x')
  expect(parseProxyUrl('127.0.0.1:3128').href).toBe('http://127.0.0.1:3128/')
  expect(
    parseStreamRequest({ url: 'http://x/', transport: { proxyUrl: 'proxy.internal:3128' } }).transport
      ?.proxyUrl,
  ).toBe('proxy.internal:3128')
})
