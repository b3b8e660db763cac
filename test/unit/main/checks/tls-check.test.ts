import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { runChecks } from '../../../../main/checks/check-runner.ts'
import type { StreamRequest } from '../../../../shared/sse/stream-request.ts'
import { useDemoServer } from '../../../support/demo.ts'
import { startForwardProxy } from '../../../support/forward-proxy.ts'
import { startTlsSseServer, TEST_CERT_FILE } from '../../../support/tls-server.ts'

/**
 * The test certificate (valid for a century) on one server, and on another a certificate made now by
 * openssl that ends in 5 days: a renewal that did not happen.
 */
const demo = useDemoServer()
let longLived: { url: string; close: () => Promise<void> }
let dir: string
let shortLived: Server
let shortLivedUrl: string
let shortLivedCert: string
beforeAll(async () => {
  longLived = await startTlsSseServer()
  dir = mkdtempSync(join(tmpdir(), 'tls-check-'))
  shortLivedCert = join(dir, 'cert.pem')
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      shortLivedCert,
      '-days',
      '5',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  )
  shortLived = createServer(
    { cert: readFileSync(shortLivedCert), key: readFileSync(join(dir, 'key.pem')) },
    (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
      response.write('data: hello\n\n')
    },
  )
  await new Promise<void>((resolve) => shortLived.listen(0, '127.0.0.1', resolve))
  shortLivedUrl = `https://127.0.0.1:${(shortLived.address() as AddressInfo).port}/`
})
afterAll(async () => {
  shortLived.closeAllConnections()
  await new Promise((resolve) => shortLived.close(resolve))
  await longLived.close()
  rmSync(dir, { recursive: true, force: true })
})

const tlsFinding = async (request: StreamRequest) =>
  (await runChecks(request, { durationMs: 300, resumeWaitMs: 100 })).findings.find((f) => f.id === 'tls')!

test('tls: a trusted certificate passes; plain http:// has nothing to check', async () => {
  const trusted = await tlsFinding({ url: longLived.url, transport: { caFile: TEST_CERT_FILE } })
  expect(trusted).toMatchObject({
    status: 'pass',
    evidence: { protocol: 'TLSv1.3', subject: 'CN=127.0.0.1', untrustedBecause: null },
  })
  expect(trusted.evidence.daysLeft).toBeGreaterThan(36_000)
  expect(trusted.explanation).toMatch(/^TLSv1\.3 with a trusted certificate, valid \d+ more days\.$/)
  expect(await tlsFinding({ url: `${demo.url}/ticker?interval=50` })).toMatchObject({ status: 'skip' })
})

test("tls: through a proxy's tunnel the certificate is not seen, and the check says so", async () => {
  const proxy = await startForwardProxy()
  try {
    const tunneled = await tlsFinding({
      url: longLived.url,
      transport: { caFile: TEST_CERT_FILE, proxyUrl: proxy.url },
    })
    expect(proxy.seen).toContain(`CONNECT ${new URL(longLived.url).host}`)
    expect(tunneled.status).toBe('skip')
    expect(tunneled.explanation).toMatch(/^Through a proxy the TLS connection runs inside the proxy's tunnel/)
  } finally {
    await proxy.close()
  }
})

test('tls: a certificate let through only by -k warns; one refused fails with the reason', async () => {
  const insecure = await tlsFinding({ url: longLived.url, transport: { isInsecureTls: true } })
  expect(insecure).toMatchObject({
    status: 'warn',
    evidence: { untrustedBecause: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
  })
  expect(insecure.fixes.map((f) => f.target)).toEqual(['server', 'clients'])
  const refused = await tlsFinding({ url: longLived.url })
  expect(refused.status).toBe('fail')
  expect(refused.evidence.error).toMatch(/^the server's certificate is not trusted/)
})

test('tls: a certificate that ends within 14 days warns, with the days left and a renewal fix', async () => {
  const expiring = await tlsFinding({ url: shortLivedUrl, transport: { caFile: shortLivedCert } })
  expect(expiring.status).toBe('warn')
  expect(expiring.evidence.daysLeft).toBeGreaterThan(4.9)
  expect(expiring.evidence.daysLeft).toBeLessThanOrEqual(5)
  expect(expiring.explanation).toMatch(/^The certificate expires in [\d.]+ days \(\d{4}-\d\d-\d\d\)/)
  expect(expiring.fixes[0]!.hint).toMatch(/^Renew the certificate/)
})
