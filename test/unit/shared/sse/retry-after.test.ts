import { expect, test } from 'vitest'
import { isTransientStatus, retryAfterMsOf } from '../../../../shared/sse/retry-after.ts'

test('Retry-After: delay-seconds or an HTTP date, from now; what cannot be read is no wait asked', () => {
  const nowMs = Date.parse('Fri, 27 Nov 2026 16:00:00 GMT')
  expect(retryAfterMsOf('120', nowMs)).toBe(120_000)
  expect(retryAfterMsOf(' 0 ', nowMs)).toBe(0)
  expect(retryAfterMsOf('Fri, 27 Nov 2026 16:00:30 GMT', nowMs)).toBe(30_000)
  expect(retryAfterMsOf('Fri, 27 Nov 2026 15:00:00 GMT', nowMs)).toBe(0) // past: at once
  for (const unreadable of ['soon', '-5', '1.5', '5s', 'Fri, 99 Nov 2026 16:00:00 GMT', ''])
    expect(retryAfterMsOf(unreadable, nowMs)).toBeUndefined()
  expect(retryAfterMsOf(undefined, nowMs)).toBeUndefined()
  expect([408, 429, 500, 502, 503, 504].every(isTransientStatus)).toBe(true)
  expect([400, 401, 403, 404, 501, 505].some(isTransientStatus)).toBe(false)
})
