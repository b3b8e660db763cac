import { createParser } from 'eventsource-parser'
import type { ApiMethod, InspectorApi, Push } from '../../shared/api.ts'
import { unpackPushes } from '../../shared/wire-packing.ts'

/** The API over HTTP (the browser face): POST /api/<method>; pushes stream as SSE from /api/pushes. */
export function createHttpClient(token: string): InspectorApi {
  // This page: what it starts is stopped once it is closed or reloaded (the server's page sessions).
  const headers = { 'x-inspector-token': token, 'x-inspector-page': crypto.randomUUID() }
  const call = async <T>(method: ApiMethod, args: unknown[]): Promise<T> => {
    const response = await fetch(`/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(args),
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
    openRecording: (recordingId, options) => call('openRecording', [recordingId, options]),
    serveRecording: (recordingId, options) => call('serveRecording', [recordingId, options]),
    exportRecording: (recordingId, format) => call('exportRecording', [recordingId, format]),
    importRecording: (fileName, base64) => call('importRecording', [fileName, base64]),
    diffRecordings: (a, b) => call('diffRecordings', [a, b]),
    libraryLocation: () => call('libraryLocation', []),
    annotate: (connectionId, text) => call('annotate', [connectionId, text]),
    setLibraryLocation: (dir) => call('setLibraryLocation', [dir]),
    controlReplay: (connectionId, control) => call('controlReplay', [connectionId, control]),
    subscribe(listener) {
      const controller = new AbortController()
      void readPushes(headers, controller.signal, listener)
      return () => controller.abort()
    },
  }
}

/**
 * Reads the push stream (SSE: one packed batch per event) with fetch and eventsource-parser rather than
 * EventSource, whose in-page parser is slow on multi-megabyte messages; reconnects after a second.
 */
async function readPushes(
  headers: Record<string, string>,
  signal: AbortSignal,
  listener: (batch: readonly Push[]) => void,
): Promise<void> {
  while (!signal.aborted) {
    try {
      const response = await fetch('/api/pushes', { headers, signal })
      const parser = createParser({ onEvent: (event) => listener(unpackPushes(event.data)) })
      const decoder = new TextDecoder()
      const reader = response.body!.getReader()
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        parser.feed(decoder.decode(read.value, { stream: true }))
      }
    } catch {
      if (signal.aborted) return
    }
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
}
