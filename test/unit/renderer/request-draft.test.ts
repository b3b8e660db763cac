import { expect, test } from 'vitest'
import { parseCurl, toCurl } from '../../../shared/curl/curl-command.ts'
import {
  EMPTY_DRAFT,
  fromStreamRequest,
  headerRow,
  toStreamRequest,
} from '../../../renderer/src/store/request-draft.ts'

test('request draft: auth helpers, disabled headers, reconnect limit and TLS options become the request', () => {
  const request = toStreamRequest({
    ...EMPTY_DRAFT,
    url: ' http://127.0.0.1:8787/ticker ',
    headers: [{ ...headerRow('X-Off', '1'), isEnabled: false }, headerRow('X-On', '2')],
    basicUser: 'ü',
    basicPassword: 'pw',
    maxReconnects: '3',
    caFile: '/tmp/ca.pem',
    resolve: 'a.example:443:10.0.0.5, b.example:80:[::1]',
    connectTimeout: '2.5',
    firstByteTimeout: '0',
    maxEventMiB: '64',
  })
  expect(request.maxEventBytes).toBe(64 * 1024 * 1024)
  expect(request.url).toBe('http://127.0.0.1:8787/ticker')
  expect(request.headers).toEqual([
    ['X-On', '2'],
    ['Authorization', `Basic ${btoa('\xc3\xbc:pw')}`],
  ])
  expect(request.reconnect).toEqual({ isEnabled: true, maxAttempts: 3 })
  expect(request.transport).toMatchObject({
    caFile: '/tmp/ca.pem',
    connectTimeoutMs: 2500,
    firstByteTimeoutMs: 0,
  })
  expect(request.transport?.resolve).toEqual(['a.example:443:10.0.0.5', 'b.example:80:[::1]'])
  expect(fromStreamRequest(request)).toMatchObject({
    maxEventMiB: '64',
    connectTimeout: '2.5',
    firstByteTimeout: '0',
    resolve: 'a.example:443:10.0.0.5, b.example:80:[::1]',
  })
  // Empty or unreadable: the defaults.
  expect(
    toStreamRequest({ ...EMPTY_DRAFT, url: 'http://x/', connectTimeout: ' ', firstByteTimeout: 'soon' })
      .transport,
  ).toMatchObject({ connectTimeoutMs: undefined, firstByteTimeoutMs: undefined })
  expect(
    toStreamRequest({ ...EMPTY_DRAFT, url: 'http://x/', maxEventMiB: '0' }).maxEventBytes,
  ).toBeUndefined()
  expect(
    toStreamRequest({ ...EMPTY_DRAFT, url: 'http://x/', bearerToken: 't', basicUser: 'u' }).headers,
  ).toEqual([['Authorization', 'Bearer t']])
})

test('request draft: a pasted POST does not reconnect unless it says so; a GET does', () => {
  const llm = `curl https://api.example.test/v1/chat/completions -H 'Content-Type: application/json' -d '{"stream":true}'`
  expect(fromStreamRequest(parseCurl(llm)).isReconnectEnabled).toBe(false)
  expect(fromStreamRequest(parseCurl(`${llm} -c cookies.txt`)).isReconnectEnabled).toBe(false)
  expect(toStreamRequest(fromStreamRequest(parseCurl(llm))).reconnect?.isEnabled).toBe(false)
  expect(fromStreamRequest(parseCurl('curl -N https://stream.example.test/events')).isReconnectEnabled).toBe(
    true,
  )
  expect(fromStreamRequest(parseCurl('curl -N https://s.example.test/e -c jar')).isReconnectEnabled).toBe(
    true,
  )
  // A request that says (a recent one, a saved one) keeps what it says.
  const asked = { url: 'https://s.example.test/', method: 'POST', reconnect: { isEnabled: true } }
  expect(fromStreamRequest(asked).isReconnectEnabled).toBe(true)
})

test('request draft: a pasted curl command round-trips through the editor', () => {
  const request = parseCurl(
    `curl -X POST 'http://h/s' -H 'Content-Type: application/json' -d '{"a":1}' -k --http1.1`,
  )
  const again = toStreamRequest(fromStreamRequest(request))
  expect(again).toMatchObject({
    url: 'http://h/s',
    method: 'POST',
    body: '{"a":1}',
    headers: [['Content-Type', 'application/json']],
  })
  expect(again.transport).toMatchObject({ isInsecureTls: true, isHttp2Allowed: false })
  expect(parseCurl(toCurl(again))).toMatchObject({ url: 'http://h/s', method: 'POST', body: '{"a":1}' })
})
