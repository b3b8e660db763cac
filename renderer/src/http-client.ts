import type { ApiMethod, InspectorApi } from '../../shared/api.ts'
import { unpackPushes } from '../../shared/wire-packing.ts'

/** The API over HTTP (the browser face): POST /api/<method>, pushes from an EventSource on /api/pushes. */
export function createHttpClient(token: string): InspectorApi {
  const call = async <T>(method: ApiMethod, args: unknown[]): Promise<T> => {
    const response = await fetch(`/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-inspector-token': token },
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
    reconnect: (connectionId, options) => call('reconnect', [connectionId, options ?? {}]),
    readChunks: (connectionId, fromSeq, toSeq) => call('readChunks', [connectionId, fromSeq, toSeq]),
    runChecks: (request, options) => call('runChecks', [request, options]),
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
      const source = new EventSource(`/api/pushes?token=${encodeURIComponent(token)}`)
      source.onmessage = (message: MessageEvent<string>) => listener(unpackPushes(message.data))
      return () => source.close()
    },
  }
}
