import { createParser } from 'eventsource-parser'
import type { ApiMethod, ExportedFile, Push } from '../../shared/api.ts'
import type { PageApi } from './api-client.ts'
import { unpackPushes } from '../../shared/wire-packing.ts'
import { downloadUrl } from './download.ts'

/**
 * How the page's link to the server stands, as its push stream finds it: up; lost (the server does not
 * answer: stopped, restarted); or refused (this page's token is not the server's: a link without it, or
 * from an earlier start).
 */
export type ServerLink = 'up' | 'lost' | 'refused'

const NOT_ANSWERING = 'The SSE Inspector server does not answer: is it still running?'

/** The API over HTTP (the browser face): POST /api/<method>; pushes stream as SSE from /api/pushes. */
export function createHttpClient(token: string, onLink: (link: ServerLink) => void = () => {}): PageApi {
  // This page: what it starts is stopped once it is closed (the server's page sessions); reloaded, it
  // keeps its id (session storage) and is given its connections back.
  const headers = { 'x-inspector-token': token, 'x-inspector-page': storedPageId() }
  const call = async <T>(
    method: ApiMethod,
    args: unknown[],
    raw?: { body: Uint8Array | Blob; query: string },
  ): Promise<T> => {
    const response = await fetch(`/api/${method}${raw?.query ?? ''}`, {
      method: 'POST',
      headers: { 'content-type': raw ? 'application/octet-stream' : 'application/json', ...headers },
      body: raw ? (raw.body as Uint8Array<ArrayBuffer> | Blob) : JSON.stringify(args),
    }).catch(() => {
      throw new Error(NOT_ANSWERING) // fetch says only "Failed to fetch"
    })
    const body = (await response.json().catch(() => ({ error: `HTTP ${response.status}` }))) as {
      result?: T
      error?: string
    }
    if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`)
    return body.result as T
  }
  return {
    connect: (request, options) => call('connect', [request, options ?? {}]),
    disconnect: (connectionId) => call('disconnect', [connectionId]),
    closeConnection: (connectionId) => call('closeConnection', [connectionId]),
    reconnect: (connectionId, options) => call('reconnect', [connectionId, options ?? {}]),
    readChunks: (connectionId, fromSeq, toSeq) => call('readChunks', [connectionId, fromSeq, toSeq]),
    runChecks: (request, options) => call('runChecks', [request, options]),
    stopChecks: (runId) => call('stopChecks', [runId]),
    startDemo: () => call('startDemo', []),
    listRecordings: () => call('listRecordings', []),
    editRecording: (recordingId, edit) => call('editRecording', [recordingId, edit]),
    deleteRecording: (recordingId) => call('deleteRecording', [recordingId]),
    stopServingRecording: (recordingId) => call('stopServingRecording', [recordingId]),
    openRecording: (recordingId, options) => call('openRecording', [recordingId, options]),
    serveRecording: (recordingId, options) => call('serveRecording', [recordingId, options]),
    async exportRecording(recordingId, format) {
      const file = await call<ExportedFile>('exportRecording', [recordingId, format])
      const query = new URLSearchParams({ recording: recordingId, format, token })
      downloadUrl(`/api/export?${query}`, file.fileName)
      return file
    },
    // The file goes as the request body, as it is (in JSON it was base64: a third larger, built in the page).
    importRecording: (fileName, bytes) =>
      call('importRecording', [], { body: bytes, query: `?name=${encodeURIComponent(fileName)}` }),
    // A Blob body is sent as the browser reads it from disk: the page never holds the file.
    importFile: (file) =>
      call('importRecording', [], { body: file, query: `?name=${encodeURIComponent(file.name)}` }),
    diffRecordings: (a, b, ignored) => call('diffRecordings', [a, b, ignored ?? []]),
    libraryLocation: () => call('libraryLocation', []),
    annotate: (connectionId, text) => call('annotate', [connectionId, text]),
    setLibraryLocation: (dir) => call('setLibraryLocation', [dir]),
    controlReplay: (connectionId, control) => call('controlReplay', [connectionId, control]),
    subscribe(listener) {
      const controller = new AbortController()
      void readPushes(headers, controller.signal, listener, onLink)
      return () => controller.abort()
    },
  }
}

const PAGE_ID_KEY = 'sse-inspector.page-id'

/** This page's id: the one it had before a reload (session storage is per tab), or a new one. */
function storedPageId(): string {
  try {
    const stored = sessionStorage.getItem(PAGE_ID_KEY)
    if (stored && /^[\w-]{1,64}$/.test(stored)) return stored
  } catch {
    // Storage unavailable: a reload starts afresh.
  }
  return newPageId()
}

function newPageId(): string {
  const id = crypto.randomUUID()
  try {
    sessionStorage.setItem(PAGE_ID_KEY, id)
  } catch {
    // As above.
  }
  return id
}

/** How often a push stream refused for its page id (409) tries the id again before taking a new one. */
const PAGE_ID_TRIES = 4
const PAGE_ID_RETRY_MS = 250

/**
 * Reads the push stream (SSE: one packed batch per event) with fetch and eventsource-parser rather than
 * EventSource, whose in-page parser is slow on multi-megabyte messages; reconnects after a second. The
 * first stream of a page load asks for the connections of its page id back (a reload). Its id in use
 * (409) is the reloaded page's old stream not closed yet, tried again shortly; or, still in use, a copy
 * of the page (a duplicated tab), which takes an id of its own.
 */
async function readPushes(
  headers: Record<string, string>,
  signal: AbortSignal,
  listener: (batch: readonly Push[]) => void,
  onLink: (link: ServerLink) => void,
): Promise<void> {
  let isFirst = true
  let refusals = 0
  while (!signal.aborted) {
    try {
      const response = await fetch(isFirst ? '/api/pushes?rejoin' : '/api/pushes', { headers, signal })
      if (response.status === 409) {
        // A copy of a page takes an id of its own as it loads; later (a blip) the old stream is this page's.
        if (isFirst && ++refusals >= PAGE_ID_TRIES) headers['x-inspector-page'] = newPageId()
        await new Promise((resolve) => setTimeout(resolve, PAGE_ID_RETRY_MS))
        continue
      }
      if (response.ok) {
        isFirst = false
        onLink('up')
        const parser = createParser({ onEvent: (event) => listener(unpackPushes(event.data)) })
        const decoder = new TextDecoder()
        const reader = response.body!.getReader()
        for (let read = await reader.read(); !read.done; read = await reader.read()) {
          parser.feed(decoder.decode(read.value, { stream: true }))
        }
        if (!signal.aborted) onLink('lost') // the stream ended: the server went away
      } else onLink(response.status === 401 ? 'refused' : 'lost')
    } catch {
      if (signal.aborted) return
      onLink('lost')
    }
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
}
