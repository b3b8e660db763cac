import { expect, test } from 'vitest'
import { redactHeaders, redactRequestSecrets, redactUrl } from '../../../shared/redact-headers.ts'

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
