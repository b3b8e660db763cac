import { describe, expect, test } from 'vitest'
import { useCheckThroughProxy } from '../../../support/check-through-proxy.ts'
import { useDemoServer } from '../../../support/demo.ts'
import { hasHaproxy, startHaproxy } from '../../../support/haproxy.ts'

// A real HAProxy from Debian (2.6) in front of the demo server's probe origin, in HTTP mode as SSE is
// served. What it does to a stream is measured here, and the fix hints say what these runs showed.
const demo = useDemoServer()
const check = useCheckThroughProxy()

describe.skipIf(!hasHaproxy)('HAProxy', () => {
  test('HAProxy stock: small writes held up to ~200 ms (corked sends), the fix named', async () => {
    const { byId } = await check(startHaproxy(demo.url, {}), '/probe?interval=20&size=100')
    const buffering = byId.buffering
    expect(buffering.status).toBe('warn')
    expect(buffering.evidence.meanEventsPerBurst).toBeGreaterThan(3)
    expect(buffering.evidence.addedDelayMaxMs).toBeGreaterThan(150)
    expect(buffering.evidence.addedDelayMaxMs).toBeLessThan(300)
    expect(buffering.explanation).toMatch(
      /none longer than ~200 ms.*MSG_MORE.*HAProxy without option http-no-delay/i,
    )
    expect(buffering.fixes.find((f) => f.target === 'HAProxy')?.hint).toMatch(/option http-no-delay/)
  })

  test('HAProxy with option http-no-delay: no false alarm', async () => {
    const { report } = await check(
      startHaproxy(demo.url, { backend: ['option http-no-delay'] }),
      '/probe?interval=20&size=100',
    )
    expect(report.findings.filter((f) => f.status === 'fail' || f.status === 'warn')).toEqual([])
  })

  test('HAProxy compression for text/event-stream: a stream that says no-transform is left alone, one that does not is compressed (flushed per event)', async () => {
    const compressing = {
      defaults: ['option http-no-delay'],
      backend: ['compression algo gzip', 'compression type text/event-stream'],
    }
    const options = { durationMs: 1000 }
    const kept = await check(startHaproxy(demo.url, compressing), '/probe?interval=20&size=100', options)
    expect(kept.byId.compression.status).toBe('pass') // the probe says Cache-Control: no-transform
    const { byId } = await check(
      startHaproxy(demo.url, compressing),
      '/probe?interval=20&size=100&cacheControl=no-cache',
      options,
    )
    expect(byId.compression).toMatchObject({ status: 'warn', evidence: { contentEncoding: 'gzip' } })
    expect(byId.compression.fixes.find((f) => f.target === 'HAProxy')?.hint).toMatch(/compression type/)
    expect(byId.buffering.status).toBe('pass')
  })

  test('HAProxy timeout server cuts an idle stream, timeout tunnel notwithstanding: the cut is timed, the fix says so', async () => {
    const { byId } = await check(
      startHaproxy(demo.url, { defaults: ['timeout server 2s'], backend: ['timeout tunnel 1h'] }),
      '/stall',
      { durationMs: 500, idleMs: 4000 },
    )
    const idle = byId['idle-timeout']
    expect(idle.status).toBe('fail')
    expect(idle.evidence.cutAfterMs).toBeGreaterThan(1500)
    expect(idle.evidence.cutAfterMs).toBeLessThan(3500)
    expect(idle.fixes.find((f) => f.target === 'HAProxy')?.hint).toMatch(
      /^timeout server .*: timeout tunnel does not apply/,
    )
  })
})
