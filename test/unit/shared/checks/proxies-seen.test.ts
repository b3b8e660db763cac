import { expect, test } from 'vitest'
import type { Finding } from '../../../../shared/checks/finding.ts'
import { proxiesSeen, withSeenFixesFirst } from '../../../../shared/checks/proxies-seen.ts'

test('proxies seen: the headers nginx, Apache, Caddy, Varnish and Cloudflare add name them; others name none', () => {
  expect(proxiesSeen([['server', 'nginx/1.22.1']])).toEqual([
    { target: 'nginx', header: 'server: nginx/1.22.1' },
  ])
  expect(proxiesSeen([['Server', 'Apache/2.4.71 (Debian)']])).toEqual([
    { target: 'Apache', header: 'Server: Apache/2.4.71 (Debian)' },
  ])
  expect(proxiesSeen([['server', 'Caddy']]).map((s) => s.target)).toEqual(['Caddy'])
  // Varnish adds both Via and X-Varnish: named once, by the first sign.
  expect(
    proxiesSeen([
      ['x-varnish', '32770'],
      ['via', '1.1 varnish (Varnish/7.1)'],
    ]),
  ).toEqual([{ target: 'Varnish', header: 'via: 1.1 varnish (Varnish/7.1)' }])
  expect(proxiesSeen([['cf-ray', '8a1b2c3d4e5f-AMS']]).map((s) => s.target)).toEqual(['Cloudflare'])
  // A CDN's nginx and Varnish in one path: both named.
  expect(
    proxiesSeen([
      ['server', 'nginx'],
      ['via', '1.1 varnish'],
    ]).map((s) => s.target),
  ).toEqual(['nginx', 'Varnish'])
  // Look-alikes name nothing: another server, a word inside a value, HAProxy (which adds no header).
  expect(
    proxiesSeen([
      ['server', 'openresty-like-not-nginx'],
      ['via', '1.1 google'],
      ['x-powered-by', 'nginx'],
      ['content-type', 'text/event-stream'],
    ]),
  ).toEqual([])
})

test('proxies seen: their fixes come first, saying which header named them; the rest keep their order', () => {
  const finding: Finding = {
    id: 'buffering',
    title: 't',
    status: 'fail',
    evidence: {},
    explanation: 'e',
    fixes: [
      { target: 'nginx', hint: 'a' },
      { target: 'HAProxy', hint: 'b' },
      { target: 'Varnish', hint: 'c' },
      { target: 'Go', hint: 'd' },
    ],
  }
  const seen = proxiesSeen([['via', '1.1 varnish']])
  expect(withSeenFixesFirst(finding, seen).fixes).toEqual([
    { target: 'Varnish', hint: 'c', seenAs: 'via: 1.1 varnish' },
    { target: 'nginx', hint: 'a' },
    { target: 'HAProxy', hint: 'b' },
    { target: 'Go', hint: 'd' },
  ])
  expect(withSeenFixesFirst(finding, proxiesSeen([['server', 'Caddy']]))).toBe(finding) // no fix for it here
  expect(withSeenFixesFirst(finding, [])).toBe(finding)
})
