import { expect, test } from 'vitest'
import { validityLeft } from '../../../renderer/src/certificate-validity.ts'

test('a certificate says how long it has left; under 14 days it warns, past its end it is an error', () => {
  const now = Date.parse('2026-11-27T12:00:00Z')
  expect(validityLeft('2027-01-01T12:00:00.000Z', now)).toEqual({
    text: 'expires in 35 days',
    level: undefined,
  })
  expect(validityLeft('2026-12-05T12:00:00.000Z', now)).toEqual({ text: 'expires in 8 days', level: 'warn' })
  expect(validityLeft('2026-11-27T18:00:00.000Z', now)).toEqual({ text: 'expires today', level: 'warn' })
  expect(validityLeft('2026-11-24T12:00:00.000Z', now)).toEqual({
    text: 'expired 3 days ago',
    level: 'danger',
  })
  expect(validityLeft('not a date', now)).toEqual({ text: 'not a date' })
})
