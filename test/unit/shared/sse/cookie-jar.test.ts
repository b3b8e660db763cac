import { expect, test } from 'vitest'
import { CookieJar } from '../../../../shared/sse/cookie-jar.ts'

const NOW = Date.parse('2026-11-26T12:00:00Z')

test('cookie jar: Set-Cookie values go back in the Cookie header, over the user cookie of the same name', () => {
  const jar = new CookieJar()
  expect(jar.addTo([['Accept', 'text/event-stream']])).toEqual([['Accept', 'text/event-stream']])
  jar.take(
    [
      ['content-type', 'text/event-stream'],
      ['set-cookie', 'backend=b1; Path=/; HttpOnly; Secure'],
      ['Set-Cookie', 'session=abc=def; Max-Age=3600'], // a value may hold "="
      ['set-cookie', '=nameless'], // ignored
    ],
    NOW,
  )
  expect(
    jar.addTo([
      ['Cookie', 'user=me; backend=old'],
      ['Accept', 'text/event-stream'],
    ]),
  ).toEqual([
    ['Accept', 'text/event-stream'],
    ['Cookie', 'user=me; backend=b1; session=abc=def'],
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
    NOW,
  )
  jar.take(
    [
      ['set-cookie', 'a=; Max-Age=0'],
      ['set-cookie', 'b=; Expires=Thu, 01 Jan 1970 00:00:00 GMT'],
      ['set-cookie', 'c=4; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60'],
    ],
    NOW,
  )
  expect(jar.addTo([])).toEqual([['Cookie', 'c=4']])
})

test('cookie jar: bounded as browsers bound it: 50 cookies (the oldest go first), 4 KiB each', () => {
  const jar = new CookieJar()
  const many = Array.from({ length: 60 }, (_, i) => ['set-cookie', `c${i}=${i}`] as const)
  jar.take([...many, ['set-cookie', `huge=${'x'.repeat(5000)}`]], NOW)
  const sent = jar.addTo([])[0]![1].split('; ')
  expect(sent).toHaveLength(50)
  expect(sent[0]).toBe('c10=10')
  expect(sent.at(-1)).toBe('c59=59')
})
