import { expect, test } from 'vitest'
import { environmentProxyFor } from '../../../../main/net/environment-proxy.ts'

test('environment proxy: by scheme, either case, all_proxy as fallback; bare host:port gets http://', () => {
  const env = { https_proxy: 'http://secure:3128', HTTP_PROXY: 'plain:8080' }
  expect(environmentProxyFor('https://api.example.com/s', env)).toBe('http://secure:3128')
  expect(environmentProxyFor('http://api.example.com/s', env)).toBe('http://plain:8080')
  expect(environmentProxyFor('https://api.example.com/s', { ALL_PROXY: 'http://all:1' })).toBe('http://all:1')
  expect(environmentProxyFor('https://api.example.com/s', {})).toBeUndefined()
})

test('environment proxy: no_proxy (suffixes, ports, *) and loopback go direct', () => {
  const env = { http_proxy: 'http://p:1', no_proxy: 'internal.corp, .example.org,svc:8080' }
  expect(environmentProxyFor('http://a.internal.corp/', env)).toBeUndefined()
  expect(environmentProxyFor('http://internal.corp/', env)).toBeUndefined()
  expect(environmentProxyFor('http://www.example.org/', env)).toBeUndefined()
  expect(environmentProxyFor('http://svc:8080/', env)).toBeUndefined()
  expect(environmentProxyFor('http://svc:9090/', env)).toBe('http://p:1')
  expect(environmentProxyFor('http://notinternal.corp.evil/', env)).toBe('http://p:1')
  expect(environmentProxyFor('http://x/', { ...env, NO_PROXY: '*', no_proxy: undefined })).toBeUndefined()
  for (const local of [
    'http://127.0.0.1:8787/',
    'http://localhost/',
    'http://[::1]:9/',
    'http://app.localhost/',
  ])
    expect(environmentProxyFor(local, env), local).toBeUndefined()
})

test('environment proxy: an explicit no-proxy list (curl --noproxy) replaces the environment’s', () => {
  const env = { https_proxy: 'http://p:1', no_proxy: 'api.example.com' }
  expect(environmentProxyFor('https://api.example.com/', env, 'other.example')).toBe('http://p:1')
  expect(environmentProxyFor('https://api.example.com/', env, '*')).toBeUndefined()
})
