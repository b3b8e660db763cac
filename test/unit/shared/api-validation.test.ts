import { expect, test } from 'vitest'
import { InvalidInputError, parseApiArgs, parseStreamRequest } from '../../../shared/api-validation.ts'

test('validation: a well-formed request passes, normalised', () => {
  const request = parseStreamRequest({
    url: ' http://127.0.0.1:8787/ticker ',
    method: 'post',
    headers: [['Authorization', 'Bearer x']],
    body: '{}',
    reconnect: { isEnabled: false },
    transport: { proxyUrl: '', isInsecureTls: true },
  })
  expect(request).toMatchObject({
    url: 'http://127.0.0.1:8787/ticker',
    method: 'POST',
    headers: [['Authorization', 'Bearer x']],
  })
  expect(request.transport).toMatchObject({ proxyUrl: undefined, isInsecureTls: true })
})

test('validation: HTTP(S) and SOCKS5 proxies and keep-cookies pass from the UI', () => {
  for (const proxyUrl of [
    'http://p:3128',
    'https://p:443',
    'socks5://u:p@bastion:1080',
    'socks5h://h:1080',
  ]) {
    expect(parseStreamRequest({ url: 'http://x/', transport: { proxyUrl } }).transport?.proxyUrl).toBe(
      proxyUrl,
    )
  }
  const request = parseStreamRequest({
    url: 'http://x/',
    reconnect: { isEnabled: true, isKeepingCookies: true },
  })
  expect(request.reconnect?.isKeepingCookies).toBe(true)
  expect(() => parseStreamRequest({ url: 'http://x/', reconnect: { isKeepingCookies: 'yes' } })).toThrow(
    /isKeepingCookies/,
  )
})

test('validation: hostile or malformed input is refused with a clear message', () => {
  const cases: [unknown, RegExp][] = [
    [null, /request must be an object/],
    [{ url: 'file:///etc/passwd' }, /must start with http/],
    [{ url: 'not a url' }, /URL is not valid/],
    [{ url: 'http://x/', method: 'GE T' }, /method/],
    [{ url: 'http://x/', headers: [['Bad Name', 'v']] }, /invalid name/],
    [{ url: 'http://x/', headers: [['X', 'a\r\nInjected: 1']] }, /invalid value/],
    [{ url: 'http://x/', headers: 'nope' }, /headers/],
    [{ url: 'http://x/', maxEventBytes: -1 }, /maxEventBytes/],
    [{ url: 'http://x/', transport: { proxyUrl: 'socks://x' } }, /proxy URL/],
    [{ url: 'http://x/', reconnect: { isEnabled: 'yes' } }, /isEnabled/],
    // past 2^31−1 ms a timer fires at once: a timeout of 100 days would time out at once
    [
      { url: 'http://x/', transport: { connectTimeoutMs: 1e10 } },
      /connectTimeoutMs must be at most 2147483647/,
    ],
    [{ url: 'http://x/', lastEventId: '41\nInjected: 1' }, /lastEventId cannot hold a line break/],
  ]
  for (const [input, message] of cases) {
    expect(() => parseStreamRequest(input)).toThrow(InvalidInputError)
    expect(() => parseStreamRequest(input)).toThrow(message)
  }
})

test('validation: API arguments are checked per method', () => {
  expect(parseApiArgs('disconnect', ['0b7f-aa'])).toEqual(['0b7f-aa'])
  expect(parseApiArgs('reconnect', ['id1', { lastEventId: '42' }])).toEqual(['id1', { lastEventId: '42' }])
  expect(parseApiArgs('startDemo', [])).toEqual([])
  expect(parseApiArgs('readChunks', ['id1', 3, 9])).toEqual(['id1', 3, 9])
  expect(() => parseApiArgs('readChunks', ['id1', 9, 3])).toThrow(/fromSeq/)
  expect(() => parseApiArgs('readChunks', ['id1', -1, 3])).toThrow(/fromSeq/)
  expect(
    parseApiArgs('runChecks', [{ url: 'http://x/' }, { durationMs: 1000, origin: 'https://a.example' }]),
  ).toEqual([
    expect.objectContaining({ url: 'http://x/' }),
    { durationMs: 1000, idleMs: undefined, origin: 'https://a.example' },
  ])
  expect(() => parseApiArgs('runChecks', [{ url: 'http://x/' }, { origin: 'javascript:alert(1)' }])).toThrow(
    /origin/,
  )
  expect(() => parseApiArgs('runChecks', [{ url: 'http://x/' }, { idleMs: 1e12 }])).toThrow(/too long/)
  expect(() => parseApiArgs('disconnect', ['../../etc'])).toThrow(/connectionId/)
  expect(() => parseApiArgs('disconnect', 'id')).toThrow(/list/)
  expect(parseApiArgs('stopChecks', ['6f1c2d3e-0000-4000-8000-000000000000'])).toHaveLength(1)
  expect(() => parseApiArgs('stopChecks', [{}])).toThrow(/runId is invalid/)
  expect(() => parseApiArgs('reconnect', ['id', { lastEventId: 5 }])).toThrow(/lastEventId/)
  expect(() => parseApiArgs('reconnect', ['id', { lastEventId: '4\r\n2' }])).toThrow(
    /cannot hold a line break/,
  )
  expect(parseApiArgs('diffRecordings', ['a1', 'b2', ['created', 'choices.0.index']])).toEqual([
    'a1',
    'b2',
    ['created', 'choices.0.index'],
  ])
  expect(parseApiArgs('diffRecordings', ['a1', 'b2'])).toEqual(['a1', 'b2', []])
  expect(() => parseApiArgs('diffRecordings', ['a1', 'b2', [7]])).toThrow(/ignored fields/)
  expect(parseApiArgs('serveRecording', ['a1', { isEachAttempt: true }])).toEqual([
    'a1',
    { speed: 1, isEachAttempt: true },
  ])
  expect(() => parseApiArgs('serveRecording', ['a1', { isEachAttempt: 'yes' }])).toThrow(/isEachAttempt/)
})
