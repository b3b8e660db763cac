import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createParser } from 'eventsource-parser'
import { afterEach } from 'vitest'
import type { ConnectionState, Push, WireRecord } from '../../shared/api.ts'
import { unpackPushes } from '../../shared/wire-packing.ts'
import { createBackend, type Backend } from '../../main/backend/backend.ts'
import { startWebServer, type WebServer } from '../../main/web/web-server.ts'

/** The browser face's server on a backend of its own (a fresh library), closed after each test. */
export function useWebFace(token: string): { start: (pageGoneGraceMs: number) => Promise<string> } {
  let backend: Backend | undefined
  let server: WebServer | undefined
  afterEach(async () => {
    await server?.close()
    await backend?.close()
  })
  return {
    async start(pageGoneGraceMs) {
      backend = createBackend({ libraryDir: mkdtempSync(join(tmpdir(), 'sse-web-face-')) })
      server = await startWebServer({ backend, staticDir: tmpdir(), token, pageGoneGraceMs })
      return `http://127.0.0.1:${server.port}`
    },
  }
}

export type WebPage = ReturnType<typeof openPage>

/**
 * A page as the browser face's client is: its push stream (every push in order; states by connection;
 * check runs stopped early or not, once done) and its API calls. Without an id it is an observer (curl
 * on the API): it owns nothing and sees every page's pushes. `rejoin`: the first stream after a reload.
 * An id in use (409) is tried again a few times, as the client does (a closed stream takes a moment).
 */
export function openPage(base: string, token: string, pageId?: string, { rejoin = false } = {}) {
  const headers: Record<string, string> = { 'x-inspector-token': token }
  if (pageId !== undefined) headers['x-inspector-page'] = pageId
  const pushes: Push[] = []
  const states = new Map<string, ConnectionState>()
  const checksStoppedEarly = new Map<string, boolean>()
  const controller = new AbortController()
  const parser = createParser({
    onEvent: (event) => {
      for (const push of unpackPushes(event.data) as Push[]) {
        pushes.push(push)
        if (push.kind === 'state') states.set(push.connectionId, push.state)
        else if (push.kind === 'check-done') checksStoppedEarly.set(push.runId, push.isStoppedEarly === true)
      }
    },
  })
  const status = (async () => {
    for (let tries = 1; ; tries++) {
      const response = await fetch(`${base}/api/pushes${rejoin ? '?rejoin' : ''}`, {
        headers,
        signal: controller.signal,
      })
      if (response.status === 409 && tries < 4) {
        await new Promise((resolve) => setTimeout(resolve, 250))
        continue
      }
      void (async () => {
        const decoder = new TextDecoder()
        for await (const part of response.body!) parser.feed(decoder.decode(part, { stream: true }))
      })().catch(() => {})
      return response.status
    }
  })().catch(() => 0)
  const call = async <T>(method: string, args: unknown[]): Promise<T> => {
    const response = await fetch(`${base}/api/${method}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(args),
    })
    return ((await response.json()) as { result: T }).result
  }
  const recordsOf = (connectionId: string): WireRecord[] =>
    pushes.flatMap((push) =>
      push.kind === 'records' && push.connectionId === connectionId ? push.records : [],
    )
  const eventIdsOf = (connectionId: string) =>
    recordsOf(connectionId).flatMap((record) => (record.kind === 'event' ? [record.id] : []))
  return {
    pushes,
    states,
    checksStoppedEarly,
    status,
    call,
    recordsOf,
    eventIdsOf,
    close: () => controller.abort(),
  }
}
