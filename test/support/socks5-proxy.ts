import { connect, createServer, type AddressInfo, type Socket } from 'node:net'

/**
 * A real SOCKS5 proxy on 127.0.0.1 (RFC 1928, CONNECT only; RFC 1929 username/password when asked),
 * logging the targets it was asked for as given (a name stays a name: the proxy resolves it). Names
 * under `.test` resolve to 127.0.0.1 here only, which proves the name went to the proxy unresolved.
 */
export type Socks5Proxy = { url: string; port: number; seen: string[]; close: () => Promise<void> }

const VERSION = 5
const NO_AUTH = 0
const USER_PASS = 2
const NO_METHOD = 0xff
const CONNECT = 1
const SUCCEEDED = 0
const CONNECTION_REFUSED = 5
const COMMAND_NOT_SUPPORTED = 7

export async function startSocks5Proxy(
  options: { username?: string; password?: string } = {},
): Promise<Socks5Proxy> {
  const seen: string[] = []
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    sockets.add(client)
    client.on('error', () => client.destroy())
    void negotiate(client, options, seen, sockets).catch(() => client.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `socks5://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** Reads exactly `count` bytes from the socket (the protocol is a few small fixed messages). */
function reader(socket: Socket) {
  let buffered = Buffer.alloc(0)
  let waiting: (() => void) | undefined
  socket.on('data', (part: Buffer) => {
    buffered = Buffer.concat([buffered, part])
    waiting?.()
  })
  return async (count: number): Promise<Buffer> => {
    while (buffered.length < count) {
      await new Promise<void>((resolve, reject) => {
        waiting = resolve
        socket.once('close', () => reject(new Error('closed')))
      })
    }
    const bytes = buffered.subarray(0, count)
    buffered = buffered.subarray(count)
    return bytes
  }
}

async function negotiate(
  client: Socket,
  options: { username?: string; password?: string },
  seen: string[],
  sockets: Set<Socket>,
): Promise<void> {
  const read = reader(client)
  const [version, methodCount] = await read(2)
  if (version !== VERSION) return void client.destroy()
  const methods = [...(await read(methodCount!))]
  const wanted = options.username === undefined ? NO_AUTH : USER_PASS
  if (!methods.includes(wanted)) return void client.end(Buffer.from([VERSION, NO_METHOD]))
  client.write(Buffer.from([VERSION, wanted]))
  if (wanted === USER_PASS) {
    const [, userLength] = await read(2)
    const username = (await read(userLength!)).toString()
    const [passwordLength] = await read(1)
    const password = (await read(passwordLength!)).toString()
    const isAccepted = username === options.username && password === options.password
    client.write(Buffer.from([1, isAccepted ? 0 : 1]))
    if (!isAccepted) return void client.end()
  }
  const [, command, , addressType] = await read(4)
  let host: string
  if (addressType === 1) host = [...(await read(4))].join('.')
  else if (addressType === 3) host = (await read((await read(1))[0]!)).toString()
  else host = ((await read(16)).toString('hex').match(/.{4}/g) ?? []).join(':')
  const port = (await read(2)).readUInt16BE(0)
  seen.push(`${host}:${port}`)
  const reply = (code: number) => Buffer.from([VERSION, code, 0, 1, 127, 0, 0, 1, 0, 0])
  if (command !== CONNECT) return void client.end(reply(COMMAND_NOT_SUPPORTED))
  const upstream = connect(port, host.endsWith('.test') ? '127.0.0.1' : host)
  sockets.add(upstream)
  upstream.once('error', () => client.end(reply(CONNECTION_REFUSED)))
  upstream.once('connect', () => {
    upstream.removeAllListeners('error')
    upstream.on('error', () => client.destroy())
    client.on('close', () => upstream.destroy())
    client.write(reply(SUCCEEDED))
    // Whatever the reader already buffered is nothing: the client waits for our reply first.
    client.removeAllListeners('data')
    client.pipe(upstream)
    upstream.pipe(client)
  })
}
