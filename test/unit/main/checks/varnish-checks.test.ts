import { describe, expect, test } from 'vitest'
import { useCheckThroughProxy } from '../../../support/check-through-proxy.ts'
import { useDemoServer } from '../../../support/demo.ts'
import { hasVarnish, startVarnish } from '../../../support/varnish.ts'

// A real Varnish from Debian (7.1) in front of the demo server's probe origin, as a cache in front of
// an SSE endpoint is met.
const demo = useDemoServer()
const check = useCheckThroughProxy()

describe.skipIf(!hasVarnish)('Varnish', () => {
  test('Varnish, built-in VCL: the stream (no-cache) is passed through as it comes, no false alarm', async () => {
    const { report } = await check(startVarnish(demo.url), '/probe?interval=20&size=100')
    expect(report.findings.filter((f) => f.status === 'fail' || f.status === 'warn')).toEqual([])
  })

  test('Varnish between_bytes_timeout cuts an idle stream; the fix the check names, in vcl_backend_fetch, keeps it', async () => {
    const idle = { durationMs: 500, idleMs: 3000, resumeWaitMs: 500 }
    const short = { parameters: ['between_bytes_timeout=2'] }
    const { byId } = await check(startVarnish(demo.url, short), '/stall', idle)
    const cut = byId['idle-timeout']
    expect(cut.status).toBe('fail')
    expect(cut.evidence.cutAfterMs).toBeGreaterThan(1500)
    expect(cut.evidence.cutAfterMs).toBeLessThan(3500)
    // Varnish names itself (Via): its fix comes first, saying so.
    expect(cut.fixes[0]).toMatchObject({
      target: 'Varnish',
      seenAs: expect.stringMatching(/^via: .*varnish/i),
    })
    const hint = cut.fixes.find((f) => f.target === 'Varnish')?.hint
    expect(hint).toMatch(/^sub vcl_backend_fetch \{ set bereq\.between_bytes_timeout = 3600s; \}/)

    const vcl = hint!.slice(0, hint!.indexOf('}') + 1)
    const kept = await check(startVarnish(demo.url, { ...short, vcl }), '/stall', idle)
    expect(kept.byId['idle-timeout'].status).toBe('pass')
  })
})
