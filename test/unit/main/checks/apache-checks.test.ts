import { describe, expect, test } from 'vitest'
import { hasApache, startApache } from '../../../support/apache.ts'
import { useCheckThroughProxy } from '../../../support/check-through-proxy.ts'
import { useDemoServer } from '../../../support/demo.ts'

// A real Apache httpd from Debian (2.4) in front of the demo server's probe origin (whose responses say
// Cache-Control: no-transform), as mod_proxy_http serves it.
const demo = useDemoServer()
const check = useCheckThroughProxy()

const DEFLATE_SSE = 'AddOutputFilterByType DEFLATE text/event-stream'

describe.skipIf(!hasApache)('Apache', () => {
  test('Apache mod_proxy_http, stock: each event flushed, no false alarm', async () => {
    const { report } = await check(startApache(demo.url), '/probe?interval=20&size=100')
    expect(report.findings.filter((f) => f.status === 'fail' || f.status === 'warn')).toEqual([])
  })

  test('Apache mod_deflate on text/event-stream compresses despite no-transform; the fix is named and works', async () => {
    const { byId } = await check(
      startApache(demo.url, { directives: [DEFLATE_SSE] }),
      '/probe?interval=20&size=100',
    )
    expect(byId.compression).toMatchObject({ status: 'warn', evidence: { contentEncoding: 'gzip' } })
    expect(byId.buffering.status).toBe('pass') // it flushes each event: compressed, not held
    expect(byId.compression.fixes[0]).toMatchObject({
      target: 'Apache',
      seenAs: expect.stringMatching(/^server: Apache\//),
    })
    const hint = byId.compression.fixes.find((f) => f.target === 'Apache')?.hint
    expect(hint).toMatch(/^SetEnv no-gzip 1 .*no-transform/)

    const fixed = await check(
      startApache(demo.url, { directives: [DEFLATE_SSE, 'SetEnv no-gzip 1'] }),
      '/probe?interval=20&size=100',
      { durationMs: 1000 },
    )
    expect(fixed.byId.compression.status).toBe('pass')
  })

  test('Apache Timeout (ProxyTimeout follows it) cuts an idle stream; timeout= on the ProxyPass, as the fix says, keeps it', async () => {
    const idle = { durationMs: 500, idleMs: 3000, resumeWaitMs: 500 }
    const { byId } = await check(startApache(demo.url, { directives: ['Timeout 2'] }), '/stall', idle)
    const cut = byId['idle-timeout']
    expect(cut.status).toBe('fail')
    expect(cut.evidence.cutAfterMs).toBeGreaterThan(1500)
    expect(cut.evidence.cutAfterMs).toBeLessThan(3500)
    expect(cut.fixes.find((f) => f.target === 'Apache')?.hint).toMatch(/^ProxyPass .* timeout=3600/)

    const kept = await check(
      startApache(demo.url, { directives: ['Timeout 2'], parameters: 'timeout=3600' }),
      '/stall',
      idle,
    )
    expect(kept.byId['idle-timeout'].status).toBe('pass')
  })
})
