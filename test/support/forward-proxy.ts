import { createServer, request as httpRequest, type Server } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'

/**
 * A real HTTP proxy on 127.0.0.1: absolute-form forwarding and CONNECT tunnels, logging what it saw.
 * Names under `.test` (reserved for testing) resolve to 127.0.0.1 here: only the proxy reaches them,
 * which proves a request went through it.
 */
export type ForwardProxy = { url: string; seen: string[]; close: () => Promise<void> }

export async function startForwardProxy(): Promise<ForwardProxy> {
  const seen: string[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((clientRequest, clientResponse) => {
    seen.push(`${clientRequest.method} ${clientRequest.url}`)
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
  })
  server.on('connect', (request, clientSocket: Socket, head) => {
    seen.push(`CONNECT ${request.url}`)
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
    url: `http://127.0.0.1:${port}`,
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
