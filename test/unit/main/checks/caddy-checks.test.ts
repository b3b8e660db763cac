import { describe, expect, test } from 'vitest'
import { hasCaddy, startCaddy } from '../../../support/caddy.ts'
import { useCheckThroughProxy } from '../../../support/check-through-proxy.ts'
import { useDemoServer } from '../../../support/demo.ts'

// A real Caddy from Debian (2.6) in front of the demo server's probe origin.
const demo = useDemoServer()
const check = useCheckThroughProxy()

describe.skipIf(!hasCaddy)('Caddy', () => {
  test('Caddy reverse_proxy, stock and with encode gzip (even without no-transform): each event flushed, not compressed, no false alarm', async () => {
    const stock = await check(startCaddy(demo.url), '/probe?interval=20&size=100')
    expect(stock.report.findings.filter((f) => f.status === 'fail' || f.status === 'warn')).toEqual([])
    // The app here forgets no-transform: Caddy's encode leaves text/event-stream alone anyway.
    const encoded = await check(
      startCaddy(demo.url, ['encode gzip']),
      '/probe?interval=20&size=100&cacheControl=no-cache',
      { durationMs: 1500 },
    )
    expect(encoded.byId.compression.status).toBe('pass')
    expect(encoded.byId.buffering.status).toBe('pass')
  })
})
