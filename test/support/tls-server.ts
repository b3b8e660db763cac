import { readFileSync } from 'node:fs'
import { createSecureServer, type Http2SecureServer } from 'node:http2'
import type { AddressInfo } from 'node:net'

export const TEST_CERT_FILE = new URL('../fixtures/test-cert.pem', import.meta.url).pathname
const TEST_KEY_FILE = new URL('../fixtures/test-key.pem', import.meta.url).pathname

/** An HTTPS server offering HTTP/2 (and HTTP/1.1) with the self-signed test certificate; streams 3 events. */
export async function startTlsSseServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Http2SecureServer = createSecureServer(
    { key: readFileSync(TEST_KEY_FILE), cert: readFileSync(TEST_CERT_FILE), allowHTTP1: true },
    (request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
      response.end(`data: over HTTP/${request.httpVersion}\n\nid: 2\ndata: second\n\ndata: third\n\n`)
    },
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `https://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
