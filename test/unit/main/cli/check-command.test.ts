import { mkdtempSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { useDemoServer } from '../../../support/demo.ts'
import { withOneAnswerServer } from '../../../support/one-answer-server.ts'
import { runCli, runCliInTerminal, spawnCli, startCliServer } from '../../../support/run-cli.ts'

const demo = useDemoServer()

type Report = {
  url: string
  findings: {
    id: string
    status: string
    title: string
    evidence: object
    explanation: string
    fixes: object[]
  }[]
}

test('cli check --json: every check with status and evidence; exit 0 when nothing fails', async () => {
  const run = await runCli(['check', `${demo.url}/ticker?interval=50`, '--duration', '1', '--json'])
  expect(run.code).toBe(0)
  const report = JSON.parse(run.stdout) as Report
  expect(report.url).toBe(`${demo.url}/ticker?interval=50`)
  expect(report.findings.map((f) => f.id)).toEqual([
    'status',
    'tls',
    'content-type',
    'cache-control',
    'compression',
    'content-length',
    'buffering',
    'heartbeat',
    'stream-end',
    'idle-timeout',
    'ids',
    'resume',
    'retry',
    'framing',
    'cors',
  ])
  for (const finding of report.findings) {
    expect(Object.keys(finding).sort()).toEqual(['evidence', 'explanation', 'fixes', 'id', 'status', 'title'])
    expect(['pass', 'skip']).toContain(finding.status)
  }
})

test('cli check: exit 1 when a check fails, with a JUnit file a CI job can read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'junit-'))
  const junit = join(dir, 'report.xml')
  const run = await runCli(['check', `${demo.url}/wrong-content-type`, '--duration', '0.5', '--junit', junit])
  expect(run.code).toBe(1)
  expect(run.stdout).toMatch(/FAIL {2}content-type/)
  const xml = readFileSync(junit, 'utf8')
  expect(xml).toMatch(/<testsuites name="sse-inspector check" tests="15" failures="\d+"/)
  expect(xml).toMatch(
    /<testcase [^>]*name="content-type: [^"]*"><failure message="EventSource fails the connection/,
  )
})

test('cli check --markdown: a table and details with fixes', async () => {
  const run = await runCli(['check', `${demo.url}/gzip?interval=50`, '--duration', '1', '--markdown'])
  expect(run.code).toBe(0) // compression is a warning, not a failure
  expect(run.stdout).toContain('| ⚠️ warn | `compression` |')
  expect(run.stdout).toContain('**Fixes**')
})

test('cli check --github: GitHub Actions annotations, one per finding that needs attention', async () => {
  const run = await runCli(['check', `${demo.url}/wrong-content-type`, '--duration', '0.5', '--github'])
  expect(run.code).toBe(1)
  const lines = run.stdout.trimEnd().split('\n')
  expect(lines[0]).toMatch(
    /^::error title=SSE check content-type%3A Content-Type is text\/event-stream::http:\/\/127\.0\.0\.1:\d+\/wrong-content-type: EventSource fails the connection .*%0Afix \(Node\/Express\): /,
  )
  expect(lines.at(-1)).toMatch(
    /^SSE conformance of http:\/\/127\.0\.0\.1:\d+\/wrong-content-type: \d+ pass, \d+ warn, 1 fail, \d+ skip$/,
  )
  // a warning is a warning; an ignored one a notice, which fails nothing
  const gzip = await runCli([
    'check',
    `${demo.url}/gzip?interval=50`,
    '--duration',
    '1',
    '--github',
    '--ignore',
    'compression',
  ])
  expect(gzip.stdout).toMatch(/^::notice title=SSE check compression \(ignored\)%3A Compression::/m)
  expect(gzip.code).toBe(0)
  expect((await runCli(['check', demo.url, '--github', '--json'])).stderr).toContain(
    'use one of --json, --markdown and --github',
  )
  // with --compare, each endpoint's annotations, each saying its URL, and a JUnit suite each
  const junit = join(mkdtempSync(join(tmpdir(), 'junit-compare-')), 'report.xml')
  const both = await runCli([
    'check',
    `${demo.url}/ticker?interval=50`,
    '--compare',
    `${demo.url}/gzip?interval=50`,
    '--duration',
    '1',
    '--github',
    '--junit',
    junit,
  ])
  expect(both.stdout).toMatch(
    /^::warning title=SSE check compression%3A Compression::http:\/\/127\.0\.0\.1:\d+\/gzip\?interval=50: /m,
  )
  expect(both.stdout.match(/^SSE conformance of /gm)).toHaveLength(2)
  const xml = readFileSync(junit, 'utf8')
  expect(xml).toMatch(/<testsuites name="sse-inspector check" tests="30" failures="0"/)
  expect(
    xml.match(/<testsuite name="http:\/\/127\.0\.0\.1:\d+\/(ticker|gzip)\?interval=50" tests="15"/g),
  ).toHaveLength(2)
})

test('cli check --fail-on warn: a warning fails the gate too', async () => {
  const gzip = `${demo.url}/gzip?interval=50`
  const strict = await runCli(['check', gzip, '--duration', '1', '--fail-on', 'warn'])
  expect(strict.stdout).toMatch(/^WARN +compression /m)
  expect(strict.stdout).not.toMatch(/^FAIL /m)
  expect(strict.code).toBe(1)
  const bad = await runCli(['check', gzip, '--fail-on', 'skip'])
  expect(bad.code).toBe(2)
  expect(bad.stderr).toBe('sse-inspector check: --fail-on takes fail or warn, got "skip"\n')
})

test('cli check --ignore: an ignored check is still reported, marked, and leaves the gate', async () => {
  const gzip = `${demo.url}/gzip?interval=50`
  const dir = mkdtempSync(join(tmpdir(), 'junit-'))
  const junit = join(dir, 'report.xml')
  const args = ['check', gzip, '--duration', '1', '--fail-on', 'warn', '--ignore', 'compression']
  const text = await runCli([...args, '--junit', junit])
  expect(text.code).toBe(0)
  expect(text.stdout).toMatch(
    /^WARN +compression +\(ignored\) The stream is sent with Content-Encoding: gzip/m,
  )
  expect(text.stdout).toMatch(/^compression: .* \(ignored\)$/m)
  expect(text.stdout).toMatch(/^\d+ pass, 1 warn, 0 fail, \d+ skip \(1 ignored\)$/m)
  const xml = readFileSync(junit, 'utf8')
  expect(xml).toMatch(/name="compression: [^"]*"><skipped message="ignored \(--ignore compression\): warn: /)
  const json = JSON.parse((await runCli([...args, '--json'])).stdout) as Report
  expect(json.findings.find((f) => f.id === 'compression')).toMatchObject({ status: 'warn', ignored: true })
  expect(json.findings.find((f) => f.id === 'status')).not.toHaveProperty('ignored')
  const markdown = await runCli([...args, '--markdown'])
  expect(markdown.stdout).toContain('| ⚠️ warn (ignored) | `compression` |')
  // without it the same run fails the gate; an id that is no check is bad usage
  expect((await runCli(['check', gzip, '--duration', '1', '--fail-on', 'warn'])).code).toBe(1)
  const failing = await runCli([
    'check',
    `${demo.url}/wrong-content-type`,
    '--duration',
    '0.5',
    '--ignore',
    'content-type,stream-end',
  ])
  expect(failing.code).toBe(0)
  const bad = await runCli(['check', gzip, '--ignore', 'ids,gzip'])
  expect(bad).toMatchObject({
    code: 2,
    stderr: expect.stringContaining("--ignore takes a check's id (status, tls, content-type,"),
  })
  expect(bad.stderr).toContain('got "gzip"')
})

test('cli check: what the server sent (a body shown as evidence) cannot steer the terminal', async () => {
  const body = 'data: \x1b]0;pwned\x07\x1b[2J\n\n'
  await withOneAnswerServer({ contentType: 'text/plain', body }, async (url) => {
    const run = await runCli(['check', url, '--duration', '0.5'])
    expect(run.stdout).toContain('\\x1b]0;pwned\\x07\\x1b[2J')
    expect(run.stdout).not.toContain('\x1b')
  })
})

test('cli check: exit 2 for an unreachable endpoint and for bad usage', async () => {
  const unreachable = await runCli(['check', 'http://127.0.0.1:9/', '--duration', '0.5'])
  expect(unreachable.code).toBe(2)
  expect(unreachable.stderr).toMatch(/cannot reach/)
  const bad = await runCli(['check', `${demo.url}/ticker`, '--origin', 'not-an-origin'])
  expect(bad.code).toBe(2)
  expect(bad.stderr).toMatch(/--origin/)
  // A --junit path that cannot be written is said before the checks run (no request reaches the server)
  const junit = join(mkdtempSync(join(tmpdir(), 'sse-junit-')), 'no-such-folder', 'report.xml')
  const unwritable = await runCli([
    'check',
    `${demo.url}/stall?after=60000`,
    '--duration',
    '30',
    '--junit',
    junit,
  ])
  expect(unwritable).toMatchObject({
    code: 2,
    stdout: '',
    stderr: expect.stringMatching(/^sse-inspector check: cannot write --junit file .*report\.xml: ENOENT/),
  })
})

test('cli probe: serves events with seq and send time; check through it measures per-event delay', async () => {
  const probe = await startCliServer(
    ['probe', '--port', '0', '--interval-ms', '20', '--size-bytes', '200'],
    /on (http:\/\/127\.0\.0\.1:\d+\/)/,
  )
  try {
    const run = await runCli(['check', probe.url, '--duration', '1', '--json'])
    expect(run.code).toBe(0)
    const buffering = (JSON.parse(run.stdout) as Report).findings.find((f) => f.id === 'buffering')!
    expect(buffering.evidence).toMatchObject({
      eventsWithSendTime: expect.any(Number),
      addedDelayP95Ms: expect.any(Number),
    })
    expect((buffering.evidence as { meanBurstBytes: number }).meanBurstBytes).toBeGreaterThan(150)
  } finally {
    probe.stop()
  }
})

test('cli check --compare: two endpoints side by side, differences explained', async () => {
  const run = await runCli([
    'check',
    `${demo.url}/ticker?interval=50`,
    '--compare',
    `${demo.url}/buffered?interval=50&flush=600`,
    '--duration',
    '2',
  ])
  expect(run.code).toBe(1)
  expect(run.stdout).toMatch(/buffering +pass +fail +← differs/)
  expect(run.stdout).toMatch(/B: \d+ events arrived in \d+ bursts/)
})

test('cli check --curl: checks the request a curl command describes (method, headers, body)', async () => {
  const command = `curl '${demo.url}/v1/chat/completions' -H 'Authorization: Bearer demo' -H 'Content-Type: application/json' --data-raw '{"messages":[{"role":"user","content":"hi"}],"stream":true}'`
  const run = await runCli(['check', '--curl', command, '--duration', '0.5', '--json'])
  const report = JSON.parse(run.stdout) as Report
  expect(report.url).toBe(`${demo.url}/v1/chat/completions`)
  // the POST with its bearer token opened a stream: a GET, or no token, would get 405/401
  expect(report.findings.find((f) => f.id === 'status')).toMatchObject({ status: 'pass' })
  expect(report.findings.find((f) => f.id === 'content-type')).toMatchObject({ status: 'pass' })
  // one answer read with fetch: no ids to want
  expect(report.findings.find((f) => f.id === 'ids')).toMatchObject({
    status: 'skip',
    explanation: expect.stringContaining('as is usual for a POST stream'),
  })
})

test('cli check --keep-cookies: the resume probe carries the affinity cookie and lands on the backend that knows the stream', async () => {
  const resumeOf = async (flags: string[]) => {
    const run = await runCli([
      'check',
      `${demo.url}/sticky?count=4&interval=20`,
      '--duration',
      '1',
      '--json',
      ...flags,
    ])
    return (JSON.parse(run.stdout) as Report).findings.find((f) => f.id === 'resume')!
  }
  expect(await resumeOf(['--keep-cookies'])).toMatchObject({ status: 'pass' })
  // a backend that restarts at id 1; the verdict names the cookie the resume did not send back
  const failed = await resumeOf([])
  expect(failed).toMatchObject({ status: 'fail', evidence: { cookiesNotSentBack: 'backend' } })
  expect(failed.fixes[0]).toMatchObject({
    target: 'client / load balancer',
    hint: expect.stringContaining('check again with --keep-cookies'),
  })
})

test('cli check: a cookie a redirect set and the resume did not send back is named too', async () => {
  const to = encodeURIComponent('/no-resume?count=4&interval=20')
  const run = await runCli([
    'check',
    `${demo.url}/redirect?setCookie=lb=b7&to=${to}`,
    '--duration',
    '1',
    '--json',
  ])
  const resume = (JSON.parse(run.stdout) as Report).findings.find((f) => f.id === 'resume')!
  expect(resume).toMatchObject({ status: 'fail', evidence: { cookiesNotSentBack: 'lb' } })
})

test('cli check: Ctrl-C stops early, prints the report on what was seen, exits 130', async () => {
  // An endpoint of our own, to know when the check is connected (the demo cannot tell us).
  let connected: () => void
  const isConnected = new Promise<void>((resolve) => (connected = resolve))
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    response.write('id: 1\ndata: one\n\n')
    connected()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    const check = spawnCli(['check', url, '--duration', '60', '--json'])
    await isConnected
    check.child.kill('SIGINT')
    expect(await check.exited).toBe(130)
    expect(check.output.stderr).toContain('stopping: reporting on what was seen')
    const report = JSON.parse(check.output.stdout) as Report
    expect(report.findings.find((f) => f.id === 'status')?.status).toBe('pass')
    expect(report.findings.find((f) => f.id === 'resume')).toMatchObject({
      status: 'skip',
      explanation: expect.stringMatching(/stopped before the resume probe/),
    })
  } finally {
    server.closeAllConnections()
    server.close()
  }
})

test('cli check: a token in the URL stays out of the reports a CI log keeps (text, JSON, JUnit)', async () => {
  const url = `${demo.url}/ticker?interval=50&access_token=s3cret-token`
  const junit = join(mkdtempSync(join(tmpdir(), 'sse-check-')), 'report.xml')
  const text = await runCli(['check', url, '--duration', '0.5', '--junit', junit])
  const json = await runCli(['check', url, '--duration', '0.5', '--json'])
  for (const output of [text.stdout, json.stdout, readFileSync(junit, 'utf8')]) {
    expect(output).toContain('access_token=')
    expect(output).not.toContain('s3cret-token')
  }
})

test('cli check: on a terminal each step shows its elapsed seconds on one line; in a log, nothing but the report', async () => {
  const args = ['check', `${demo.url}/ticker?interval=50`, '--duration', '1.5']
  const terminal = await runCliInTerminal(args)
  // Redrawn in place as the seconds pass (0 s, then 1 s…), and left with its final time.
  expect(terminal.stdout).toContain('\r\x1b[2K… observing the stream for 1.5 s (0 s)')
  expect(terminal.stdout).toMatch(/… observing the stream for 1\.5 s \([1-9]\d* s\)\r\n/)
  expect(terminal.stdout).toMatch(/… reconnecting with Last-Event-ID: \d+ \(\d+ s\)\r\n/)
  const log = await runCli(args)
  expect(log.stderr).toBe('')
  expect(log.stdout).toMatch(/^SSE conformance of /)
})
