import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, test } from 'vitest'
import type { CheckId, Finding } from '../../../../shared/checks/finding.ts'
import { runChecks } from '../../../../main/checks/check-runner.ts'
import { useDemoServer } from '../../../support/demo.ts'

const demo = useDemoServer()

async function check(path: string, options: Parameters<typeof runChecks>[1] = {}) {
  const report = await runChecks(
    { url: `${demo.url}${path}` },
    { durationMs: 1200, resumeWaitMs: 1500, ...options },
  )
  const byId = Object.fromEntries(report.findings.map((f) => [f.id, f])) as Record<CheckId, Finding>
  return { report, byId, statusOf: (id: CheckId) => byId[id].status }
}

test('checks: a well-behaved endpoint raises no alarm', async () => {
  const { report, byId } = await check('/ticker?interval=50')
  const alarms = report.findings.filter((f) => f.status === 'fail' || f.status === 'warn')
  expect(alarms).toEqual([])
  expect(byId.resume.explanation).toMatch(/Resumed right after/)
  expect(byId.buffering.evidence.addedDelayP95Ms).toBeLessThan(150)
  expect(byId['idle-timeout'].status).toBe('skip')
  expect(byId.cors.status).toBe('skip')
})

test('checks: a wrong Content-Type fails', async () => {
  const { statusOf, byId } = await check('/wrong-content-type')
  expect(statusOf('content-type')).toBe('fail')
  // refused at its headers: no stream to break off
  expect(byId['stream-end']).toMatchObject({ status: 'skip', evidence: { cause: 'content-type' } })
  // refused before any event: no reason to suspect buffering, and no nginx fixes for it
  expect(byId.buffering).toMatchObject({
    status: 'skip',
    evidence: { events: 0 },
    explanation: expect.stringMatching(
      /^The stream ended \d+ ms after its headers without an event \(content-type\)/,
    ),
    fixes: [],
  })
  expect(byId['content-type'].evidence.contentType).toContain('text/plain')
  expect(byId['content-type'].evidence.body).toMatch(/^id: 1 event: tick data: \{"seq":1/)
  expect(byId['content-type'].explanation).toContain('The body starts: id: 1 event: tick')
})

test('checks: application buffering is measured from send times and fails', async () => {
  const { statusOf, byId } = await check('/buffered?interval=50&flush=600', { durationMs: 2000 })
  expect(statusOf('buffering')).toBe('fail')
  expect(byId.buffering.evidence.addedDelayP95Ms).toBeGreaterThan(400)
  expect(byId.buffering.evidence.meanEventsPerBurst).toBeGreaterThan(5)
  expect(byId.buffering.fixes.map((f) => f.target)).toContain('nginx')
})

test('checks: buffering seen in the first burst already (two events with send times) fails', async () => {
  // Events every 600 ms, written every 1300 ms; observed for 1.6 s: one burst of the first two, the
  // first held back 700 ms, the second 100 ms.
  const { statusOf, byId } = await check('/buffered?interval=600&flush=1300', { durationMs: 1600 })
  expect(statusOf('buffering')).toBe('fail')
  expect(byId.buffering.evidence).toMatchObject({ events: 2, bursts: 1 })
  expect(byId.buffering.evidence.addedDelayMaxMs).toBeGreaterThan(500)
})

test('checks: resume that restarts, duplicates, or works', async () => {
  expect((await check('/no-resume?interval=50')).byId.resume).toMatchObject({
    status: 'fail',
    explanation: expect.stringMatching(/started again from 1/),
  })
  expect((await check('/duplicate-resume?interval=50')).byId.resume).toMatchObject({
    status: 'fail',
    explanation: expect.stringMatching(/re-sent/),
  })
})

test('checks: gzip is reported as compression without calling it buffering', async () => {
  const { statusOf, byId } = await check('/gzip?interval=50')
  expect(statusOf('compression')).toBe('warn')
  expect(byId.compression.evidence.contentEncoding).toBe('gzip')
  expect(statusOf('buffering')).toBe('pass')
})

test('checks: invalid retry, Content-Length, bad statuses', async () => {
  expect((await check('/invalid-retry')).statusOf('retry')).toBe('fail')
  // A retry of months keeps clients away for good; one past 2^64 − 1 ms is ignored by them.
  const months = await check('/ticker?interval=50&retry=9999999999')
  expect(months.byId.retry).toMatchObject({
    status: 'warn',
    explanation:
      'A retry of 9999999999 ms (2777.8 h) keeps every client away that long after a dropped connection: for them the stream is gone.',
  })
  const endless = await check(`/ticker?interval=50&retry=${'9'.repeat(30)}`)
  expect(endless.byId.retry).toMatchObject({ status: 'fail', evidence: { invalidRetryLines: 1 } })
  expect(endless.byId.retry.explanation).toContain('larger than 2^64 − 1 ms')
  const sized = await check('/content-length')
  expect(sized.statusOf('content-length')).toBe('fail')
  expect(sized.byId['content-length'].evidence.contentLength).toMatch(/^\d+$/)
  const failed = await check('/status/500')
  expect(failed.statusOf('status')).toBe('fail')
  expect(failed.byId.status.evidence.body).toBe('demo status 500') // what the server said instead
  expect(failed.byId.status.explanation).toMatch(/The server said: demo status 500$/)
  expect(failed.statusOf('retry')).toBe('skip') // no stream: nothing to judge, not a pass
  // the error page's text/plain is not a second failure: the status decides
  expect(failed.byId['content-type']).toMatchObject({
    status: 'skip',
    evidence: { contentType: expect.stringContaining('text/plain') },
  })
  // Each refusal gets the fix its status calls for.
  const fixes = async (path: string) => (await check(path)).byId.status.fixes
  expect(await fixes('/status/401')).toEqual([
    expect.objectContaining({
      target: 'server',
      hint: expect.stringMatching(/^EventSource sends no Authorization/),
    }),
    expect.objectContaining({ target: 'clients' }),
  ])
  expect(await fixes('/status/429?retryAfter=30')).toEqual([
    expect.objectContaining({
      target: 'server',
      hint: expect.stringMatching(
        /^EventSource ignores Retry-After \(this one says 30\) and never comes back after a 429/,
      ),
    }),
  ])
  expect((await fixes('/status/504')).map((f) => f.target)).toEqual(['nginx', 'HAProxy', 'server'])
  expect(await fixes('/status/500')).toEqual([
    { target: 'server', hint: 'Answer the stream request with 200; send 204 only to make clients stop.' },
  ])
  const stopped = await check('/status/204')
  expect(stopped.statusOf('status')).toBe('fail')
  expect(stopped.byId.status.explanation).toMatch(/stop for good/)
})

test('checks: an idle cut is found with when it happened', async () => {
  const { byId } = await check('/stall?after=700', { durationMs: 300, idleMs: 2000 })
  expect(byId['idle-timeout'].status).toBe('fail')
  expect(byId['idle-timeout'].evidence.cutAfterMs).toBeGreaterThanOrEqual(650)
  expect(byId['idle-timeout'].evidence.cutAfterMs).toBeLessThan(1500)
  // the silence the idle watch saw is the heartbeat's longest too (the 300 ms observation saw none)
  expect(byId.heartbeat.evidence.longestSilenceMs).toBeGreaterThanOrEqual(650)
  expect(byId.heartbeat.explanation).toMatch(
    /in the idle watch, before its connection ended after [\d.]+ s \(see idle-timeout\)\.$/,
  )
})

test('checks: a stream broken off mid-body fails, one that ends inside an event warns, a clean end passes', async () => {
  const broken = await check('/ticker?interval=50&breakAfter=3')
  expect(broken.byId['stream-end']).toMatchObject({
    status: 'fail',
    evidence: { events: 3, cause: 'network' },
    explanation: expect.stringMatching(
      /^The stream broke off after [\d.]+ s and 3 events: the connection closed mid-response/,
    ),
  })
  expect(broken.byId['stream-end'].fixes.map((f) => f.target)).toEqual(['server', 'nginx', 'HAProxy'])
  expect((await check('/incomplete')).byId['stream-end']).toMatchObject({
    status: 'warn',
    explanation: expect.stringMatching(/inside an event .*clients discard that event/),
  })
  // An event past this client's size limit: stopped here, not broken off by the server.
  const large = await runChecks(
    { url: `${demo.url}/huge?bytes=5000`, maxEventBytes: 1000 },
    { durationMs: 1200, resumeWaitMs: 1500 },
  )
  expect(large.findings.find((f) => f.id === 'stream-end')).toMatchObject({
    status: 'warn',
    evidence: { cause: 'too-large' },
    explanation: expect.stringMatching(
      /^This client stopped the stream after .*Browsers read larger events\.$/,
    ),
  })
  expect((await check('/ticker?interval=50&count=3')).byId['stream-end']).toMatchObject({
    status: 'pass',
    explanation: expect.stringMatching(/^The server ended the response cleanly after [\d.]+ s and 3 events/),
  })
  expect((await check('/ticker?interval=50')).byId['stream-end'].explanation).toMatch(
    /^The connection stayed open for the whole observation/,
  )
})

test('checks: CORS for a browser EventSource (a GET: no preflight)', async () => {
  expect((await check('/ticker?interval=50', { origin: 'https://app.example' })).byId.cors.status).toBe(
    'fail',
  )
  const allowed = await check('/ticker?interval=50&cors=1', { origin: 'https://app.example' })
  expect(allowed.byId.cors).toMatchObject({
    status: 'pass',
    evidence: { allowOrigin: 'https://app.example', allowCredentials: 'true' },
  })
})

test("checks: CORS for a page's fetch of a POST stream asks its preflight first, as the browser does", async () => {
  const origin = 'https://chat.example'
  const llm = {
    url: `${demo.url}/v1/chat/completions`,
    method: 'POST',
    headers: [
      ['Authorization', 'Bearer demo'],
      ['Content-Type', 'application/json'],
    ] as const,
    body: '{"messages":[{"role":"user","content":"hi"}]}',
  }
  // The demo answers the POST but not its preflight: a browser would never send the POST.
  const refused = await runChecks(llm, { durationMs: 1500, origin })
  const cors = refused.findings.find((f) => f.id === 'cors')!
  expect(cors).toMatchObject({
    status: 'fail',
    evidence: { preflightMethod: 'POST', preflightHeaders: 'authorization, content-type' },
  })
  expect(cors.explanation).toMatch(
    /^A page on https:\/\/chat\.example cannot send this request: a browser first asks \(OPTIONS, its preflight\), and it was answered \d{3}, not 2xx, so it never sends the POST\.$/,
  )
  expect(cors.fixes[0]!.hint).toContain('Access-Control-Allow-Headers: authorization, content-type')

  // A server that answers the preflight, but allows the headers with *, which does not cover Authorization.
  let allowHeaders = '*'
  const server = createServer((request, response) => {
    const cors = { 'access-control-allow-origin': origin }
    if (request.method === 'OPTIONS' && request.url === '/moved') {
      response.writeHead(308, { location: '/v1/chat/completions' }).end()
      return
    }
    if (request.method === 'OPTIONS') {
      response
        .writeHead(204, {
          ...cors,
          'access-control-allow-methods': 'POST',
          'access-control-allow-headers': allowHeaders,
        })
        .end()
      return
    }
    response.writeHead(200, { ...cors, 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    response.end('data: {"choices":[{"delta":{"content":"hi"}}]}\n\ndata: [DONE]\n\n')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`
    const starred = (await runChecks({ ...llm, url }, { durationMs: 500, origin })).findings.find(
      (f) => f.id === 'cors',
    )!
    expect(starred.status).toBe('fail')
    expect(starred.explanation).toContain(
      'does not allow the header authorization (Access-Control-Allow-Headers: *)',
    )
    allowHeaders = 'Authorization, Content-Type'
    const allowed = (await runChecks({ ...llm, url }, { durationMs: 500, origin })).findings.find(
      (f) => f.id === 'cors',
    )!
    expect(allowed).toMatchObject({
      status: 'pass',
      evidence: {
        preflightStatus: 204,
        preflightAllowHeaders: 'Authorization, Content-Type',
        allowOrigin: origin,
      },
    })
    // A redirected preflight fails, though the request itself would be redirected and answered.
    const moved = (
      await runChecks(
        { ...llm, url: url.replace('/v1/chat/completions', '/moved') },
        { durationMs: 500, origin },
      )
    ).findings.find((f) => f.id === 'cors')!
    expect(moved.status).toBe('fail')
    expect(moved.explanation).toContain(
      'it was redirected (308 to /v1/chat/completions), which a browser does not follow',
    )
  } finally {
    server.close()
  }
  // An EventSource's GET is sent without asking: no preflight.
  const get = await check('/ticker?interval=50&cors=1', { origin })
  expect(get.report.run.preflight).toBeUndefined()
})

test('checks: a redirect warns (every reconnect pays for it)', async () => {
  const { byId } = await check('/redirect?to=/ticker?interval=50')
  expect(byId.status).toMatchObject({ status: 'warn', evidence: { redirected: true } })
  expect(byId.status.evidence.finalUrl).toContain('/ticker')
  // The chain, token redacted: reports go to CI logs.
  const chained = await check(
    `/redirect?status=302&to=${encodeURIComponent('/redirect?to=/ticker?interval=50&token=t9')}`,
  )
  const chain = String(chained.byId.status.evidence.redirects)
  expect(chain).toMatch(
    /^302 http:\/\/127\.0\.0\.1:\d+\/redirect\?status=302&to=\S+ → 307 \S+ → \S+\/ticker\?interval=50$/,
  )
  expect(chain).toContain('token=REDACTED')
  expect(chain).not.toContain('token=t9')
  expect(chained.byId.status.explanation).toMatch(/^EventSource follows 2 redirects \(302 /)
})

test('checks: an unreachable endpoint is reported as such', async () => {
  const report = await runChecks({ url: 'http://127.0.0.1:9/' }, { durationMs: 500 })
  expect(report.isReachable).toBe(false)
  expect(report.findings[0]).toMatchObject({ id: 'status', status: 'fail' })
})

test('checks: stopped early, they report on what was seen and skip the probes not begun', async () => {
  const stopper = new AbortController()
  const steps: string[] = []
  const startedMs = performance.now()
  setTimeout(() => stopper.abort(), 700)
  const { report, byId } = await check('/ticker?interval=50', {
    durationMs: 30_000,
    idleMs: 60_000,
    signal: stopper.signal,
    onProgress: (step) => steps.push(step),
  })
  expect(performance.now() - startedMs).toBeLessThan(10_000)
  expect(steps).toEqual(['observing the stream for 30 s'])
  expect(report.run.isStoppedEarly).toBe(true)
  expect(report.run.durationMs).toBeGreaterThanOrEqual(600)
  expect(report.run.durationMs).toBeLessThan(10_000)
  expect(byId.status.status).toBe('pass')
  expect(byId.ids.status).toBe('pass') // the ~13 events it saw
  expect(byId.resume).toMatchObject({ status: 'skip', explanation: /stopped before the resume probe/ })
  expect(byId['idle-timeout']).toMatchObject({ status: 'skip', explanation: /stopped before the idle watch/ })
})

test('checks: stopping the idle watch keeps what it saw, for as long as it watched', async () => {
  const stopper = new AbortController()
  const { report, byId } = await check('/ticker?interval=100', {
    durationMs: 400,
    idleMs: 60_000,
    signal: stopper.signal,
    onProgress: (step) => {
      if (step.startsWith('watching')) setTimeout(() => stopper.abort(), 800)
    },
  })
  expect(report.run.resume?.records.some((r) => r.kind === 'event')).toBe(true) // the probe ran whole
  expect(report.run.idle?.records.some((r) => r.kind === 'event')).toBe(true)
  expect(report.run.idle?.durationMs).toBeGreaterThanOrEqual(700)
  expect(report.run.idle?.durationMs).toBeLessThan(10_000)
  expect(byId['idle-timeout'].status).toBe('pass')
})

test('checks: an endless firehose stops each observation at its limit and says so (it once filled the heap)', async () => {
  const limit = { records: 20_000, bodyBytes: 1 << 30 }
  const { report, byId } = await check('/firehose?count=100000000', { durationMs: 5000, idleMs: 5000, limit })
  expect(report.run.isLimitReached).toBe(true)
  expect(report.run.records.length).toBeGreaterThanOrEqual(limit.records)
  expect(report.run.records.length).toBeLessThan(limit.records + 5000) // one network chunk's records more
  expect(report.run.durationMs).toBeLessThan(5000)
  const note = /the observation stopped at its size limit after [\d.]+ s, to bound memory/
  expect(byId.buffering).toMatchObject({ status: 'pass', explanation: expect.stringMatching(note) })
  expect(byId.heartbeat).toMatchObject({ status: 'pass', explanation: expect.stringMatching(note) })
  expect(byId['idle-timeout']).toMatchObject({
    status: 'skip',
    explanation: expect.stringMatching(/never went idle/),
  })
  expect(report.run.idle?.records.length).toBeLessThan(limit.records + 5000)
  expect(byId.resume.status).toBe('pass') // the probe's first event ends it long before the limit

  // Large events reach the byte limit first.
  const bytes = await check('/firehose?count=100000000&size=100000', {
    durationMs: 5000,
    limit: { records: 1_000_000, bodyBytes: 2_000_000 },
  })
  expect(bytes.report.run.isLimitReached).toBe(true)
  const kept = bytes.report.run.records.reduce((n, r) => n + (r.kind === 'chunk' ? r.bytes.length : 0), 0)
  expect(kept).toBeGreaterThanOrEqual(2_000_000)
  expect(kept).toBeLessThan(2_000_000 + 1024 * 1024)
})

test('checks: events without ids warn on a GET stream, not on a POST one (one answer, nothing resumes it)', async () => {
  const get = await check('/echo-headers')
  expect(get.byId.ids).toMatchObject({ status: 'warn', evidence: { events: 1, eventsWithId: 0 } })
  expect(get.byId['stream-end'].explanation).toContain('clients reconnect after the retry delay')
  expect(get.byId.retry.explanation).toBe('No retry field: clients use their default (about 3 s).')
  const post = await runChecks(
    { url: `${demo.url}/echo-headers`, method: 'POST', body: '{"q":1}' },
    { durationMs: 1200, resumeWaitMs: 1500 },
  )
  const byId = Object.fromEntries(post.findings.map((f) => [f.id, f])) as Record<CheckId, Finding>
  expect(byId.ids).toMatchObject({ status: 'skip', evidence: { events: 1, eventsWithId: 0 } })
  expect(byId['stream-end'].explanation).toMatch(/cleanly after .*, as a POST stream ends with its answer\.$/)
  expect(byId.retry.explanation).toContain('read with fetch, which does not reconnect')
})

test('checks: framing warns of what clients read otherwise (bare CR, a BOM, an id with NULL, not UTF-8); plain streams pass', async () => {
  const plain = await check('/ticker?interval=50')
  expect(plain.byId.framing).toMatchObject({
    status: 'pass',
    evidence: { crLineEndings: false, byteOrderMark: false, idsWithNul: 0, notUtf8: false, unknownFields: 0 },
  })
  expect((await check('/crlf')).statusOf('framing')).toBe('pass') // CRLF is what every client reads
  const cr = await check('/cr')
  expect(cr.byId.framing).toMatchObject({ status: 'warn', evidence: { crLineEndings: true } })
  expect(cr.byId.framing.explanation).toMatch(/^Lines end with a bare CR\..* split only on LF/)
  expect(cr.byId.framing.fixes).toEqual([{ target: 'server', hint: expect.stringContaining('never a bare') }])
  expect((await check('/bom')).byId.framing).toMatchObject({
    status: 'warn',
    evidence: { byteOrderMark: true },
  })
  const nul = await check('/nul-id')
  expect(nul.byId.framing).toMatchObject({ status: 'warn', evidence: { idsWithNul: 1 } })
  expect(nul.byId.framing.explanation).toContain('the last event ID does not move')
  // a field the spec does not know is noted, not held against the stream
  const unknown = await check('/unknown-field')
  expect(unknown.byId.framing).toMatchObject({ status: 'pass', evidence: { unknownFields: 1 } })
  expect(unknown.byId.framing.explanation).toContain('every client ignores it')
  // Latin-1 bytes under a charset that says so: the stream is UTF-8 all the same
  const latin1 = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=iso-8859-1' })
    response.end(Buffer.from('data: caf\xe9\n\n', 'latin1'))
  })
  await new Promise<void>((resolve) => latin1.listen(0, '127.0.0.1', resolve))
  try {
    const report = await runChecks(
      { url: `http://127.0.0.1:${(latin1.address() as AddressInfo).port}/` },
      { durationMs: 500, resumeWaitMs: 500 },
    )
    expect(report.findings.find((f) => f.id === 'framing')).toMatchObject({
      status: 'warn',
      evidence: { notUtf8: true },
      explanation: expect.stringContaining('always UTF-8, whatever charset its Content-Type names'),
    })
  } finally {
    latin1.close()
  }
})
