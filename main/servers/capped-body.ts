import type { IncomingMessage } from 'node:http'

/**
 * A request's body, read whole up to `maxBytes` (what lies past it is read and dropped, so the client is
 * not left writing): the demo's JSON endpoints take small bodies, never a client's endless one.
 */
export function cappedBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pieces: Buffer[] = []
    let size = 0
    request.on('data', (piece: Buffer) => {
      size += piece.length
      if (size <= maxBytes) pieces.push(piece)
    })
    request.on('end', () => resolve(Buffer.concat(pieces)))
    request.on('error', reject)
  })
}
