import type { IncomingMessage, ServerResponse } from 'node:http'

/**
 * A request's target as a URL on 127.0.0.1. "//" and "//x/y" are paths here: `new URL("//", base)`
 * reads a host from them, or throws. An absolute target (a proxy's form) is taken as it is.
 */
export function requestUrl(request: IncomingMessage): URL {
  const target = request.url ?? '/'
  return new URL(target.startsWith('/') ? `http://127.0.0.1${target}` : target)
}

/**
 * A request handler that fails alone: a target that is no URL gets a 400, an exception a 500 (or a cut
 * connection, once the head is sent), instead of ending the process. `GET //` to the demo server once
 * took down the app's backend with every connection it held.
 */
export function failingAlone(
  handle: (request: IncomingMessage, response: ServerResponse, url: URL) => void,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    let url: URL
    try {
      url = requestUrl(request)
    } catch {
      response.writeHead(400, { 'content-type': 'text/plain' }).end('bad request target\n')
      return
    }
    try {
      handle(request, response, url)
    } catch (error) {
      if (response.headersSent) response.destroy()
      else response.writeHead(500, { 'content-type': 'text/plain' }).end(`${(error as Error).message}\n`)
    }
  }
}
