import { expect, test } from 'vitest'
import { CookieJar } from '../../../../shared/sse/cookie-jar.ts'

const NOW = Date.parse('2026-11-26T12:00:00Z')
const STREAM = 'https://api.example.com/v1/stream'

/** What a request to `url` would carry in its Cookie header ('' for none). */
const cookieFor = (jar: CookieJar, url: string, nowMs = NOW) =>
  jar.addTo([], url, nowMs).find(([name]) => name === 'Cookie')?.[1] ?? ''

test('cookie jar: Set-Cookie values go back in the Cookie header, over the user cookie of the same name', () => {
  const jar = new CookieJar()
  expect(jar.addTo([['Accept', 'text/event-stream']], STREAM, NOW)).toEqual([['Accept', 'text/event-stream']])
  jar.take(
    [
      ['content-type', 'text/event-stream'],
      ['set-cookie', 'backend=b1; Path=/; HttpOnly; Secure'],
      ['Set-Cookie', 'session=abc=def; Max-Age=3600'], // a value may hold "="
      ['set-cookie', '=nameless'], // ignored
    ],
    STREAM,
    NOW,
  )
  expect(
    jar.addTo(
      [
        ['Cookie', 'user=me; backend=old'],
        ['Accept', 'text/event-stream'],
      ],
      STREAM,
      NOW,
    ),
  ).toEqual([
    ['Accept', 'text/event-stream'],
    ['Cookie', 'user=me; session=abc=def; backend=b1'], // session's path (/v1) is the longer
  ])
})

test('cookie jar: Max-Age 0 or a past Expires removes a cookie; Max-Age wins over Expires', () => {
  const jar = new CookieJar()
  jar.take(
    [
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
      ['set-cookie', 'c=3'],
    ],
    STREAM,
    NOW,
  )
  jar.take(
    [
      ['set-cookie', 'a=; Max-Age=0'],
      ['set-cookie', 'b=; Expires=Thu, 01 Jan 1970 00:00:00 GMT'],
      ['set-cookie', 'c=4; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60'],
    ],
    STREAM,
    NOW,
  )
  expect(cookieFor(jar, STREAM)).toBe('c=4')
})

test('cookie jar: a cookie with Max-Age or Expires is not sent once it has expired', () => {
  const jar = new CookieJar()
  jar.take(
    [
      ['set-cookie', 'short=1; Max-Age=5'],
      ['set-cookie', `dated=2; Expires=${new Date(NOW + 60_000).toUTCString()}`],
      ['set-cookie', 'session=3'],
    ],
    STREAM,
    NOW,
  )
  expect(cookieFor(jar, STREAM, NOW + 4_000)).toBe('short=1; dated=2; session=3')
  expect(cookieFor(jar, STREAM, NOW + 5_000)).toBe('dated=2; session=3')
  expect(cookieFor(jar, STREAM, NOW + 61_000)).toBe('session=3')
})

test('cookie jar: Domain and host-only cookies go to the hosts they name', () => {
  const jar = new CookieJar()
  // A login host sets a session for the whole site, and one for itself alone.
  jar.take(
    [
      ['set-cookie', 'site=1; Domain=.example.com; Path=/'],
      ['set-cookie', 'login-only=2; Path=/'],
      ['set-cookie', 'elsewhere=3; Domain=other.test'], // not the responding host's: refused
    ],
    'https://login.example.com/sso',
    NOW,
  )
  expect(cookieFor(jar, STREAM)).toBe('site=1')
  expect(cookieFor(jar, 'https://login.example.com/x')).toBe('site=1; login-only=2')
  expect(cookieFor(jar, 'https://example.com/')).toBe('site=1')
  expect(cookieFor(jar, 'https://badexample.com/')).toBe('')
  expect(cookieFor(jar, 'https://other.test/')).toBe('')
})

test('cookie jar: Path limits a cookie to a directory; without one it is the directory of the URL', () => {
  const jar = new CookieJar()
  jar.take(
    [
      ['set-cookie', 'v1=1'], // default path: /v1
      ['set-cookie', 'admin=2; Path=/admin'],
      ['set-cookie', 'root=3; Path=/'],
    ],
    STREAM,
    NOW,
  )
  expect(cookieFor(jar, 'https://api.example.com/v1/other')).toBe('v1=1; root=3') // longer paths first
  expect(cookieFor(jar, 'https://api.example.com/v10')).toBe('root=3') // /v1 is not /v10's directory
  expect(cookieFor(jar, 'https://api.example.com/admin/stream')).toBe('admin=2; root=3')
})

test('cookie jar: a Secure cookie is neither taken from nor sent over plain HTTP, but for loopback', () => {
  const jar = new CookieJar()
  jar.take([['set-cookie', 'from-http=1; Secure']], 'http://api.example.com/s', NOW)
  jar.take([['set-cookie', 'token=2; Secure']], 'https://api.example.com/s', NOW)
  expect(cookieFor(jar, 'https://api.example.com/s')).toBe('token=2')
  expect(cookieFor(jar, 'http://api.example.com/s')).toBe('')
  jar.take([['set-cookie', 'dev=3; Secure']], 'http://localhost:8787/s', NOW)
  expect(cookieFor(jar, 'http://localhost:8787/s')).toBe('dev=3')
})

test('cookie jar: the same name on another path is another cookie', () => {
  const jar = new CookieJar()
  jar.take([['set-cookie', 'id=root; Path=/']], STREAM, NOW)
  jar.take([['set-cookie', 'id=v1; Path=/v1']], STREAM, NOW)
  expect(cookieFor(jar, STREAM)).toBe('id=v1; id=root') // both, the longer path first, as browsers do
  expect(cookieFor(jar, 'https://api.example.com/')).toBe('id=root')
})

test('cookie jar: bounded as browsers bound it: 50 cookies (the oldest go first), 4 KiB each', () => {
  const jar = new CookieJar()
  const many = Array.from({ length: 60 }, (_, i) => ['set-cookie', `c${i}=${i}`] as const)
  jar.take([...many, ['set-cookie', `huge=${'x'.repeat(5000)}`]], STREAM, NOW)
  const sent = cookieFor(jar, STREAM).split('; ')
  expect(sent).toHaveLength(50)
  expect(sent[0]).toBe('c10=10')
  expect(sent.at(-1)).toBe('c59=59')
})
