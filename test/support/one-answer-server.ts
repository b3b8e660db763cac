import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A server on 127.0.0.1 that gives every request the same status, Content-Type and body, then ends. */
export async function withOneAnswerServer<T>(
  answer: { contentType: string; body: string },
  use: (url: string) => Promise<T>,
): Promise<T> {
  const server = createServer((_request, response) =>
    response.writeHead(200, { 'content-type': answer.contentType }).end(answer.body),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    return await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
  } finally {
    server.close()
  }
}

/** What makes a reconnect storm: every response ends at once and asks for no delay. */
export const STORM_ANSWER = { contentType: 'text/event-stream', body: 'retry: 0\ndata: x\n\n' }
