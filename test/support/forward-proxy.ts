import { readFileSync } from 'node:fs'
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import { TEST_CERT_FILE, TEST_KEY_FILE } from './tls-server.ts'
import { connect, type AddressInfo, type Socket } from 'node:net'

/**
 * A real HTTP proxy on 127.0.0.1: absolute-form forwarding and CONNECT tunnels, logging what it saw.
 * Names under `.test` (reserved for testing) resolve to 127.0.0.1 here: only the proxy reaches them,
 * which proves a request went through it.
 */
export type ForwardProxy = { url: string; seen: string[]; close: () => Promise<void> }

/**
 * With `isTls`, the proxy itself speaks HTTPS (an https:// proxy URL) with the self-signed test
 * certificate; with `login` ("user:password"), it answers 407 to requests without that Basic login.
 */
export async function startForwardProxy(
  options: { isTls?: boolean; login?: string } = {},
): Promise<ForwardProxy> {
  const seen: string[] = []
  const sockets = new Set<Socket>()
  const expected = options.login && `Basic ${Buffer.from(options.login).toString('base64')}`
  const isLoggedIn = (request: IncomingMessage) =>
    !expected || request.headers['proxy-authorization'] === expected
  const handle = (clientRequest: IncomingMessage, clientResponse: ServerResponse) => {
    seen.push(`${clientRequest.method} ${clientRequest.url}`)
    if (!isLoggedIn(clientRequest)) {
      clientResponse.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end()
      return
    }
    const target = new URL(clientRequest.url ?? '')
    const upstream = httpRequest(
      {
        host: resolve(target.hostname),
        port: target.port,
        path: target.pathname + target.search,
        method: clientRequest.method,
        headers: { ...clientRequest.headers, via: '1.1 test-proxy' },
      },
      (upstreamResponse) => {
        clientResponse.writeHead(upstreamResponse.statusCode ?? 502, {
          ...upstreamResponse.headers,
          'x-via-proxy': 'forward',
        })
        upstreamResponse.pipe(clientResponse)
      },
    )
    upstream.on('error', () => clientResponse.destroy())
    clientRequest.pipe(upstream)
  }
  const server: Server = options.isTls
    ? createTlsServer({ key: readFileSync(TEST_KEY_FILE), cert: readFileSync(TEST_CERT_FILE) }, handle)
    : createServer(handle)
  server.on('connect', (request, clientSocket: Socket, head) => {
    seen.push(`CONNECT ${request.url}`)
    if (!isLoggedIn(request)) {
      clientSocket.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n',
      )
      return
    }
    const [host, port] = (request.url ?? '').split(':')
    const upstream = connect(Number(port), resolve(host ?? ''), () => {
      clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(clientSocket)
      clientSocket.pipe(upstream)
    })
    upstream.on('error', () => clientSocket.destroy())
    clientSocket.on('error', () => upstream.destroy())
    sockets.add(upstream)
  })
  server.on('connection', (socket) => sockets.add(socket))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `${options.isTls ? 'https' : 'http'}://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

function resolve(host: string): string {
  return host.endsWith('.test') ? '127.0.0.1' : host
}
