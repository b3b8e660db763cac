import { readFileSync } from 'node:fs'
import { createSecureServer, type Http2SecureServer } from 'node:http2'
import type { AddressInfo } from 'node:net'
import type { TLSSocket } from 'node:tls'

export const TEST_CERT_FILE = new URL('../fixtures/test-cert.pem', import.meta.url).pathname
export const TEST_KEY_FILE = new URL('../fixtures/test-key.pem', import.meta.url).pathname

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname
/** A client certificate (and its key) the mutual-TLS server accepts. */
export const CLIENT_CERT_FILE = fixture('client-cert.pem')
export const CLIENT_KEY_FILE = fixture('client-key.pem')
/** The same key, encrypted with CLIENT_KEY_PASSPHRASE. */
export const CLIENT_KEY_ENCRYPTED_FILE = fixture('client-key-encrypted.pem')
export const CLIENT_KEY_PASSPHRASE = 'fixture-passphrase'

/**
 * An HTTPS server offering HTTP/2 (and HTTP/1.1) with the self-signed test certificate; streams 3
 * events (at /reset, one event and then a stream reset; at /many-headers, after 200 header fields). With `isClientCertRequired`, it asks for a client certificate issued by the test client CA
 * and refuses the handshake without one; the first event then names the client.
 */
export async function startTlsSseServer(
  options: { isClientCertRequired?: boolean } = {},
): Promise<{ url: string; close: () => Promise<void> }> {
  const mutual = options.isClientCertRequired
    ? { requestCert: true, rejectUnauthorized: true, ca: readFileSync(fixture('client-ca.pem')) }
    : {}
  const server: Http2SecureServer = createSecureServer(
    { key: readFileSync(TEST_KEY_FILE), cert: readFileSync(TEST_CERT_FILE), allowHTTP1: true, ...mutual },
    (request, response) => {
      const socket = request.socket as TLSSocket
      const client = socket.getPeerCertificate?.()?.subject?.CN
      // At /many-headers, 200 header fields: more than Node's HTTP/2 client takes (128).
      const many =
        request.url === '/many-headers' ? Array.from({ length: 200 }, (_, i) => [`x-h${i}`, 'v']) : []
      response.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        'x-tls-server-name': socket.servername || '(none)', // the SNI the client sent
        'x-host': request.headers[':authority'] ?? request.headers.host ?? '',
        ...Object.fromEntries(many),
      })
      if (request.url === '/reset') {
        // One event, then the stream is reset (RST_STREAM INTERNAL_ERROR), as a failing proxy does.
        response.write('id: 1\ndata: before the reset\n\n')
        setTimeout(() => response.stream.destroy(new Error('reset by the test server')), 50)
        return
      }
      response.end(
        `data: over HTTP/${request.httpVersion}${client ? ` from ${client}` : ''}\n\nid: 2\ndata: second\n\ndata: third\n\n`,
      )
    },
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `https://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
