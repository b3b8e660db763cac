import { describe, expect, test } from 'vitest'
import { runChecks } from '../../../../main/checks/check-runner.ts'
import { diffHeaders } from '../../../../shared/checks/header-diff.ts'
import { useCheckThroughProxy } from '../../../support/check-through-proxy.ts'
import { useDemoServer } from '../../../support/demo.ts'
import { hasNginx, startNginx } from '../../../support/nginx.ts'
import { TEST_CERT_FILE, TEST_KEY_FILE } from '../../../support/tls-server.ts'

// A real nginx from Debian in front of the demo server's probe origin, in the configurations platform
// engineers meet. The probe's events carry their send time, so buffering is measured, not guessed.
const demo = useDemoServer()
const check = useCheckThroughProxy()

const STREAMING = "proxy_http_version 1.1; proxy_set_header Connection '';"

const checkThrough = (location: string, path: string, options: Parameters<typeof runChecks>[1] = {}) =>
  check(startNginx(demo.url, location), path, options)

describe.skipIf(!hasNginx)('nginx', () => {
  test('nginx stock (buffering on, HTTP/1.0 upstream): bursts are found and blamed on buffering', async () => {
    // The app sends X-Accel-Buffering: no; ignoring it stands for an app that does not.
    const { byId } = await checkThrough(
      'proxy_ignore_headers X-Accel-Buffering;',
      '/probe?interval=20&size=100',
    )
    expect(byId.buffering.status).toBe('fail')
    expect(byId.buffering.evidence.meanEventsPerBurst).toBeGreaterThan(5)
    expect(byId.buffering.evidence.addedDelayP95Ms).toBeGreaterThan(500)
    expect(byId.buffering.explanation).toMatch(/bursts \(about .* KiB each\)/)
    expect(byId.buffering.explanation).toMatch(/Bursts of ~4 KiB, one memory page: .*nginx proxy_buffering/)
    expect(byId.buffering.fixes.find((f) => f.target === 'nginx')?.hint).toMatch(/proxy_buffering off/)
    // nginx names itself (Server): its fix comes first, saying so.
    expect(byId.buffering.fixes[0]).toMatchObject({
      target: 'nginx',
      seenAs: expect.stringMatching(/^server: nginx\//),
    })
  })

  test('nginx stock with larger events: a 4 KiB buffer filled every ~200 ms is named as such, not as corked sends', async () => {
    // 400 B every 20 ms fills nginx's 4 KiB buffer every ~200 ms: holds as long as corked sends' (HAProxy's).
    const { byId } = await checkThrough(
      'proxy_ignore_headers X-Accel-Buffering;',
      '/probe?interval=20&size=400',
    )
    expect(byId.buffering.status).not.toBe('pass')
    expect(byId.buffering.evidence.meanBurstBytes).toBeGreaterThan(3900)
    expect(byId.buffering.evidence.meanBurstBytes).toBeLessThan(4300)
    expect(byId.buffering.explanation).toMatch(/Bursts of ~4 KiB, one memory page/)
    expect(byId.buffering.explanation).not.toMatch(/MSG_MORE/)
  })

  test('nginx with buffering off: no false alarm', async () => {
    const { report } = await checkThrough(`${STREAMING} proxy_buffering off;`, '/probe?interval=20&size=100')
    expect(report.findings.filter((f) => f.status === 'fail' || f.status === 'warn')).toEqual([])
  })

  test('nginx with gzip on for text/event-stream: compression reported, flushing measured as fine', async () => {
    const gzip = 'gzip on; gzip_types text/event-stream; gzip_min_length 0; gzip_proxied any;'
    const { byId } = await checkThrough(
      `${STREAMING} proxy_buffering off; ${gzip}`,
      '/probe?interval=20&size=100',
    )
    expect(byId.compression).toMatchObject({ status: 'warn', evidence: { contentEncoding: 'gzip' } })
    expect(byId.buffering.status).toBe('pass')
  })

  test('nginx with gzip and buffering on: even the response head is held back', async () => {
    const gzip = 'gzip on; gzip_types text/event-stream; gzip_min_length 0; gzip_proxied any;'
    const { report, byId } = await checkThrough(
      `proxy_ignore_headers X-Accel-Buffering; ${gzip}`,
      '/probe?interval=20&size=100',
      { durationMs: 1500 },
    )
    expect(report.isReachable).toBe(true)
    expect(byId.status.status).toBe('fail')
    expect(byId.status.explanation).toMatch(/not even the response head arrived/)
  })

  test('nginx terminating TLS with HTTP/2 offered: the checks run over HTTP/2, buffering found as over HTTP/1.1, off no alarm', async () => {
    const tls = { certFile: TEST_CERT_FILE, keyFile: TEST_KEY_FILE }
    const transport = { caFile: TEST_CERT_FILE }
    const buffered = await check(
      startNginx(demo.url, 'proxy_ignore_headers X-Accel-Buffering;', tls),
      '/probe?interval=20&size=100',
      {},
      { transport },
    )
    expect(buffered.report.run.records.find((r) => r.kind === 'open')).toMatchObject({ httpVersion: '2' })
    expect(buffered.byId.buffering.status).toBe('fail')
    expect(buffered.byId.buffering.explanation).toMatch(/Bursts of ~4 KiB, one memory page/)
    const streaming = await check(
      startNginx(demo.url, `${STREAMING} proxy_buffering off;`, tls),
      '/probe?interval=20&size=100',
      {},
      { transport },
    )
    expect(streaming.report.findings.filter((f) => f.status === 'fail' || f.status === 'warn')).toEqual([])
  })

  test('origin vs nginx: the header changes the proxy makes are listed', async () => {
    const direct = await runChecks(
      { url: `${demo.url}/probe?interval=50` },
      { durationMs: 500, resumeWaitMs: 500 },
    )
    const { report } = await checkThrough(`${STREAMING} proxy_buffering off;`, '/probe?interval=50', {
      durationMs: 500,
      resumeWaitMs: 500,
    })
    const headersOf = (r: typeof report) => r.run.records.find((x) => x.kind === 'open')!.headers
    const changes = diffHeaders(headersOf(direct), headersOf(report))
    expect(changes).toContainEqual({ name: 'server', a: null, b: expect.stringMatching(/^nginx/) })
    expect(changes).toContainEqual({ name: 'x-accel-buffering', a: 'no', b: null })
    expect(changes.map((c) => c.name)).not.toContain('date')
  })

  test('nginx with a short proxy_read_timeout: the idle cut is found and timed', async () => {
    const { byId } = await checkThrough(
      `${STREAMING} proxy_buffering off; proxy_read_timeout 2s;`,
      '/stall',
      { durationMs: 500, idleMs: 4000 },
    )
    expect(byId['idle-timeout'].status).toBe('fail')
    expect(byId['idle-timeout'].evidence.cutAfterMs).toBeGreaterThan(1800)
    expect(byId['idle-timeout'].evidence.cutAfterMs).toBeLessThan(3500)
    expect(byId['idle-timeout'].fixes.find((f) => f.target === 'nginx')?.hint).toMatch(/proxy_read_timeout/)
  })
})
