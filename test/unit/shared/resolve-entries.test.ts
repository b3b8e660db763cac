import { expect, test } from 'vitest'
import { parseResolveEntry, resolveMap } from '../../../shared/sse/resolve-entries.ts'

test('resolve entries: HOST:PORT:ADDRESS as curl writes them, IPv6 with or without brackets', () => {
  expect(parseResolveEntry('API.example.com:443:10.0.0.5')).toEqual({
    host: 'api.example.com',
    port: 443,
    address: '10.0.0.5',
  })
  expect(parseResolveEntry('h:8080:[::1]')).toEqual({ host: 'h', port: 8080, address: '::1' })
  expect(parseResolveEntry('h:80:fe80::1')).toEqual({ host: 'h', port: 80, address: 'fe80::1' })
  expect(resolveMap(['a:1:127.0.0.1', 'b:2:[::1]'])).toEqual(
    new Map([
      ['a:1', '127.0.0.1'],
      ['b:2', '::1'],
    ]),
  )
  for (const bad of ['h:443', 'h:0:1.2.3.4', 'h:70000:1.2.3.4', ':443:1.2.3.4', 'h:443:1.2.3.999'])
    expect(() => parseResolveEntry(bad), bad).toThrow(/--resolve/)
  expect(() => parseResolveEntry('h:443:backend.local')).toThrow(/--resolve (wants|needs)/)
})
