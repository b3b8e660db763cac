import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import { createReadStream, createWriteStream, existsSync, rmSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pipeline } from 'node:stream/promises'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { API_METHODS, type ApiMethod, type ExportFormat, type Push } from '../../shared/api.ts'
import { InvalidInputError, parseApiArgs } from '../../shared/api-validation.ts'
import { packPushes } from '../../shared/wire-packing.ts'
import type { Backend } from '../backend/backend.ts'
import { PageRejoin } from '../backend/page-rejoin.ts'
import { PushOutbox, type OutboxLimits } from '../backend/push-outbox.ts'
import { PageSessions } from './page-sessions.ts'
import { failingAlone } from '../servers/request-handler.ts'
import { drainedOrClosed } from '../runtime/drained.ts'

/**
 * The browser face: serves the built renderer and the backend's API on 127.0.0.1. Calls are
 * POST /api/<method> with a JSON list of arguments; pushes stream from GET /api/pushes as SSE.
 * Every API request needs the per-start token; a foreign Host or Origin is refused (DNS rebinding).
 */
export type WebServer = { url: string; port: number; token: string; close: () => Promise<void> }

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
}
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
// A JSON call: its strings are at most 16 MiB (api-validation.ts), more once escaped. An import's file
// comes as the raw body instead, of any size (importUpload).
const MAX_JSON_BYTES = 100 * 1024 * 1024

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  response.end(JSON.stringify(body))
}

function readBody(request: IncomingMessage, maxBytes: number, tooLarge: string): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const parts: Buffer[] = []
    let size = 0
    request.on('data', (part: Buffer) => {
      size += part.length
      if (size > maxBytes) {
        reject(new InvalidInputError(tooLarge))
        request.destroy()
      } else parts.push(part)
    })
    request.on('end', () => resolvePromise(Buffer.concat(parts)))
    request.on('error', reject)
  })
}

/** A call's arguments: a JSON list. */
async function callArgs(method: ApiMethod, request: IncomingMessage): Promise<unknown[]> {
  const body = (await readBody(request, MAX_JSON_BYTES, 'request body too large')).toString('utf8')
  return parseApiArgs(method, JSON.parse(body || '[]'))
}

/**
 * An import's file, sent as the raw body (application/octet-stream, its name in the query): written
 * into the library folder as it arrives, imported from there, then removed. A file of gigabytes is
 * never in memory (it was read whole, and refused past 225 MiB).
 */
async function importUpload(backend: Backend, request: IncomingMessage, url: URL): Promise<unknown> {
  const [fileName] = parseApiArgs('importRecording', [
    url.searchParams.get('name') ?? undefined,
    new Uint8Array(0),
  ])
  const { dir } = await backend.libraryLocation()
  // A dot file ending .part: neither the library nor another app sharing the folder lists it.
  const upload = join(dir, `.upload-${randomUUID()}.part`)
  try {
    try {
      await pipeline(request, createWriteStream(upload, { flags: 'wx' }))
    } catch (error) {
      throw new Error(`cannot import ${String(fileName)}: ${(error as Error).message}`, { cause: error })
    }
    return await backend.importFile(fileName as string, upload)
  } finally {
    rmSync(upload, { force: true })
  }
}

/** The page id a request carries (x-inspector-page), if well-formed. */
function pageIdOf(request: IncomingMessage): string | undefined {
  const value = request.headers['x-inspector-page']
  return typeof value === 'string' && /^[\w-]{1,64}$/.test(value) ? value : undefined
}

export async function startWebServer(options: {
  backend: Backend
  staticDir: string
  port?: number
  token?: string
  /** How long a closed page's connections live on, in case it comes back (default 10 s). */
  pageGoneGraceMs?: number
  /** How many records wait for a page that falls behind (tests make them small). */
  pushLimits?: Partial<OutboxLimits>
  /**
   * Recordings the first page opens (files given to `serve`), as the Library's Open does: asked as each
   * page comes, the first to find some takes them (undefined: not ready yet).
   */
  toOpen?: () => readonly { recordingId: string; name: string }[] | undefined
}): Promise<WebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url')
  const pages = new PageSessions(options.backend, options.pageGoneGraceMs)
  /** This start of the server: a page whose push stream reconnects to another knows it restarted. */
  const serverId = randomUUID()
  const staticRoot = resolve(options.staticDir)
  let allowedHosts: Set<string> = new Set()
  let isToOpenTaken = false

  const hasToken = (request: IncomingMessage, url: URL): boolean => {
    const given = request.headers['x-inspector-token'] ?? url.searchParams.get('token') ?? ''
    const a = Buffer.from(String(given))
    const b = Buffer.from(token)
    return a.length === b.length && timingSafeEqual(a, b)
  }

  const isTrustedOrigin = (request: IncomingMessage): boolean => {
    if (!allowedHosts.has(request.headers.host ?? '')) return false
    const origin = request.headers.origin
    return origin === undefined || allowedHosts.has(origin.replace(/^http:\/\//, ''))
  }

  const servePushes = (request: IncomingMessage, response: ServerResponse, url: URL): void => {
    const pageId = pageIdOf(request)
    // A page id taken by an open page: this page is its copy (a duplicated tab), which must take another.
    if (pageId !== undefined && pages.isAttached(pageId))
      return sendJson(response, 409, { error: 'this page id is in use by another page' })
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    })
    response.write('retry: 1000\n\n')
    // Only as fast as the page reads: what it cannot take waits (merged, capped) in the outbox, not the socket.
    const outbox = new PushOutbox(
      (batch) => response.write(`data: ${packPushes(batch)}\n\n`),
      () => !response.writableNeedDrain && !response.destroyed,
      options.pushLimits,
    )
    response.on('drain', () => outbox.pump())
    outbox.add([{ kind: 'hello', serverId }])
    const toOpen = pageId === undefined || isToOpenTaken ? undefined : options.toOpen?.()
    if (toOpen && toOpen.length > 0) {
      isToOpenTaken = true // the first page's: another page (or a reload) does not open them again
      outbox.add(toOpen.map((recording) => ({ kind: 'open-recording', ...recording })))
    }
    // A reloaded page (the same id, a first stream) gets its connections back, their records read back first.
    const rejoin =
      pageId !== undefined && url.searchParams.has('rejoin')
        ? new PageRejoin(
            options.backend,
            pages.startedBy(pageId),
            outbox,
            () => response.destroyed,
            options.pushLimits,
          )
        : undefined
    const toPage = (batch: readonly Push[]) => (rejoin ? rejoin.add(batch) : outbox.add(batch))
    const unsubscribe = options.backend.subscribe(
      (batch: readonly Push[]) => toPage(batch.filter((push) => pages.isFor(pageId, push))),
      // A replay waits for the page that opened it, not for every page (a frozen one would stop it).
      (connectionId) => (pages.owns(pageId, connectionId) ? outbox.pressureOf(connectionId) : undefined),
    )
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), 15_000)
    const detach = pageId === undefined ? undefined : pages.attach(pageId)
    response.on('close', () => {
      clearInterval(heartbeat)
      unsubscribe()
      detach?.()
    })
  }

  const serveApi = async (
    method: string,
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
  ): Promise<void> => {
    if (request.method !== 'POST') return sendJson(response, 405, { error: 'use POST' })
    if (!(API_METHODS as readonly string[]).includes(method))
      return sendJson(response, 404, { error: 'no such method' })
    try {
      const isUpload =
        method === 'importRecording' && request.headers['content-type'] === 'application/octet-stream'
      const args = isUpload ? [] : await callArgs(method as ApiMethod, request)
      const call = options.backend[method as ApiMethod] as (...values: unknown[]) => Promise<unknown>
      const result = isUpload ? await importUpload(options.backend, request, url) : await call(...args)
      const pageId = pageIdOf(request)
      if (pageId !== undefined) pages.noteResult(pageId, method, args, result)
      sendJson(response, 200, { result: result ?? null })
    } catch (error) {
      const isBadInput = error instanceof InvalidInputError || error instanceof SyntaxError
      sendJson(response, isBadInput ? 400 : 500, {
        error: error instanceof Error ? error.message : String(error),
      })
    }
  }

  /**
   * GET /api/export?recording=ID&format=F: a recording's export as a download, streamed part by part as
   * it is made (the exportRecording call names the file first; the page only links here).
   */
  const serveExport = async (url: URL, response: ServerResponse): Promise<void> => {
    let file
    try {
      const [recordingId, format] = parseApiArgs('exportRecording', [
        url.searchParams.get('recording'),
        url.searchParams.get('format'),
      ]) as [string, ExportFormat]
      file = options.backend.exportFile(recordingId, format)
    } catch (error) {
      const isBadInput = error instanceof InvalidInputError
      return sendJson(response, isBadInput ? 400 : 500, { error: (error as Error).message })
    }
    const writeHead = () =>
      response.writeHead(200, {
        'content-type': file.mimeType,
        // The name is made of [\w.-] (exportFileOf): nothing to quote.
        'content-disposition': `attachment; filename="${file.fileName}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      })
    let isGone = false
    response.on('close', () => (isGone = true))
    try {
      for (const part of file.parts) {
        if (!response.headersSent) writeHead()
        if (isGone) return
        if (!response.write(part)) await drainedOrClosed(response)
      }
      if (!response.headersSent) writeHead()
      response.end()
    } catch (error) {
      // Before the first part (an unreadable recording) the download fails with the reason; later, cut.
      if (response.headersSent) response.destroy(error as Error)
      else sendJson(response, 500, { error: (error as Error).message })
    }
  }

  const serveStatic = (pathname: string, response: ServerResponse): void => {
    let decoded: string
    try {
      decoded = decodeURIComponent(pathname === '/' ? '/index.html' : pathname)
    } catch {
      response.writeHead(400, { 'content-type': 'text/plain' })
      response.end('malformed path\n') // "%E0%A4%A": it once threw and took the server down
      return
    }
    const relative = normalize(decoded).replace(/^([/\\])+/, '')
    const file = join(staticRoot, relative)
    if (!file.startsWith(staticRoot + sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { 'content-type': 'text/plain' })
      response.end('not found\n')
      return
    }
    response.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    })
    createReadStream(file)
      .on('error', () => response.destroy())
      .pipe(response)
  }

  const route = (request: IncomingMessage, response: ServerResponse, url: URL): void => {
    if (!isTrustedOrigin(request)) {
      response.writeHead(403, { 'content-type': 'text/plain' })
      response.end('foreign host or origin refused\n')
      return
    }
    if (url.pathname.startsWith('/api/')) {
      if (!hasToken(request, url)) return sendJson(response, 401, { error: 'missing or wrong token' })
      if (url.pathname === '/api/pushes' && request.method === 'GET')
        return servePushes(request, response, url)
      if (url.pathname === '/api/export' && request.method === 'GET') return void serveExport(url, response)
      void serveApi(url.pathname.slice('/api/'.length), request, response, url)
      return
    }
    serveStatic(url.pathname, response)
  }

  // Whatever a request holds, it fails alone: the server (the backend, its connections) stays up.
  const server: Server = createServer(failingAlone(route))
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolvePromise())
  })
  const { port } = server.address() as AddressInfo
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolvePromise) => {
        pages.close()
        server.closeAllConnections()
        server.close(() => resolvePromise())
      }),
  }
}
