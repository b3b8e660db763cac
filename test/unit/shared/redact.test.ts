import { expect, test } from 'vitest'
import { toCurl } from '../../../shared/curl/curl-command.ts'
import { redactedRecord } from '../../../shared/recording/redact-recording.ts'
import { openRecord } from '../../support/records.ts'
import { redactBody, redactHeaders, redactRequestSecrets, redactUrl } from '../../../shared/redact-headers.ts'

test('redact: URL tokens and userinfo passwords are redacted; everything else stays byte for byte', () => {
  expect(redactUrl('https://api.example.com/stream?access_token=abc.def&channel=news')).toBe(
    'https://api.example.com/stream?access_token=REDACTED&channel=news',
  )
  expect(redactUrl('https://h/s?key=AIza123&sig=x%2By&session_id=9&q=a+b')).toBe(
    'https://h/s?key=REDACTED&sig=REDACTED&session_id=REDACTED&q=a+b',
  )
  expect(redactUrl('http://user:hunter2@proxy.example:3128')).toBe('http://user:REDACTED@proxy.example:3128/')
  for (const plain of [
    'http://127.0.0.1:8787/ticker?count=3&interval=10',
    'https://h/s?q=a+b%20c',
    'not a url',
  ])
    expect(redactUrl(plain)).toBe(plain)
  expect(redactHeaders([['Authorization', 'Bearer sk-1']])).toEqual([['Authorization', 'Bearer [redacted]']])
})

test('redact: cloud keys and credentials by their usual names, in headers and in URLs', () => {
  expect(
    redactHeaders([
      ['Ocp-Apim-Subscription-Key', 'azure-key'],
      ['X-Client-Credentials', 'c'],
      ['X-JWT', 'eyJ'],
      ['OpenAI-Organization', 'org-1'],
      ['Access-Control-Allow-Credentials', 'true'], // CORS policy, not a credential
    ]),
  ).toEqual([
    ['Ocp-Apim-Subscription-Key', '[redacted]'],
    ['X-Client-Credentials', '[redacted]'],
    ['X-JWT', '[redacted]'],
    ['OpenAI-Organization', 'org-1'],
    ['Access-Control-Allow-Credentials', 'true'],
  ])
  expect(redactUrl('https://s3.test/o?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=ab&jwt=eyJ&part=2')).toBe(
    'https://s3.test/o?X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED&jwt=REDACTED&part=2',
  )
})

test('redact: a request keeps its shape; URL tokens, a proxy password and a key passphrase are redacted', () => {
  const request = {
    url: 'https://h/s?token=t1&q=1',
    headers: [['Authorization', 'Bearer sk-1']] as const,
    transport: { proxyUrl: 'http://u:pw@proxy:3128', certFile: '/c.pem', keyPassphrase: 'open sesame' },
  }
  expect(redactRequestSecrets(request)).toEqual({
    url: 'https://h/s?token=REDACTED&q=1',
    headers: [['Authorization', 'Bearer sk-1']], // headers are the caller's to redact or drop
    transport: { proxyUrl: 'http://u:REDACTED@proxy:3128/', certFile: '/c.pem', keyPassphrase: '[redacted]' },
  })
  expect(redactRequestSecrets({ url: 'http://h/s' })).toEqual({ url: 'http://h/s' })
})

test('redact: a JSON body loses the values of secret keys at any depth, and nothing else', () => {
  const body = `{
  "model": "gpt-x", "max_tokens": 64, "api_key": "sk-live-1",
  "auth": {"client_secret":"s\\"2", "password" : "hunter2", "token": 7},
  "messages": [{"role": "user", "content": "my \\"token\\": \\"not a key\\""}],
  "key": ["k1"]
}`
  expect(redactBody(body)).toBe(`{
  "model": "gpt-x", "max_tokens": 64, "api_key": "[redacted]",
  "auth": {"client_secret":"[redacted]", "password" : "[redacted]", "token": 7},
  "messages": [{"role": "user", "content": "my \\"token\\": \\"not a key\\""}],
  "key": ["k1"]
}`)
  expect(JSON.parse(redactBody(body))).toMatchObject({ api_key: '[redacted]', auth: { token: 7 } })
  const plain = '{"model":"m","stream":true,"messages":[{"role":"user","content":"token: abc"}]}'
  expect(redactBody(plain)).toBe(plain)
  expect(redactBody('[{"access_token":"t"}]')).toBe('[{"access_token":"[redacted]"}]')
})

test('redact: a form body loses secret values as a URL query does; other bodies stay as they are', () => {
  expect(redactBody('grant_type=refresh&refresh_token=abc&client_id=app')).toBe(
    'grant_type=refresh&refresh_token=REDACTED&client_id=app',
  )
  for (const other of ['hello token=1 world', 'token=abc\nmore', 'not { json', '{"token": broken', ''])
    expect(redactBody(other)).toBe(other)
  expect(redactBody('{"token": broken')).toBe('{"token": broken')
})

test('redact: a request body is redacted with the request; curl shows it only with secrets', () => {
  const request = { url: 'http://h/s', method: 'POST', body: '{"password":"pw","q":1}' }
  expect(redactRequestSecrets(request).body).toBe('{"password":"[redacted]","q":1}')
  expect(toCurl(request)).toContain(`--data-raw '{"password":"[redacted]","q":1}'`)
  expect(toCurl(request, { isShowingSecrets: true })).toContain(`--data-raw '{"password":"pw","q":1}'`)
})

test('redact: an open record redacts its redirect chain too (URLs and Locations, relative or not; the cookies a hop set)', () => {
  const open = openRecord({
    url: 'https://h/stream?token=t3',
    redirects: [
      { status: 302, url: 'https://h/login?access_token=t1', location: '/stream?token=t3' },
      { status: 307, url: 'https://h/a', location: 'https://h/b?x=1', setCookies: ['lb=b7; Path=/'] },
    ],
  })
  expect(redactedRecord(open)).toMatchObject({
    url: 'https://h/stream?token=REDACTED',
    redirects: [
      {
        status: 302,
        url: 'https://h/login?access_token=REDACTED',
        location: 'https://h/stream?token=REDACTED',
      },
      { status: 307, url: 'https://h/a', location: 'https://h/b?x=1', setCookies: ['[redacted]'] },
    ],
  })
})

test('redact: a URL carried in a parameter (redirect_uri, a redirect target) has its secrets redacted too', () => {
  expect(
    redactUrl(
      `https://auth/login?client_id=app&redirect_uri=${encodeURIComponent('https://app/cb?access_token=t1&x=1')}`,
    ),
  ).toBe(
    `https://auth/login?client_id=app&redirect_uri=${encodeURIComponent('https://app/cb?access_token=REDACTED&x=1')}`,
  )
  expect(redactUrl(`http://h/redirect?to=${encodeURIComponent('/ticker?count=1&token=t2')}`)).toBe(
    `http://h/redirect?to=${encodeURIComponent('/ticker?count=1&token=REDACTED')}`,
  )
  for (const plain of [
    `https://auth/login?redirect_uri=${encodeURIComponent('https://app/cb?x=1')}`,
    'http://h/redirect?to=/ticker',
    'http://h/s?q=%2Fnot%3Fa%3Durl%25',
    'http://h/s?next=%E0%A4%A',
  ])
    expect(redactUrl(plain)).toBe(plain)
})
