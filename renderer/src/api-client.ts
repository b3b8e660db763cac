import type { InspectorApi } from '../../shared/api.ts'
import type { RecordingSummary } from '../../shared/recording/library.ts'
import { createHttpClient } from './http-client.ts'
import { useInspector } from './store/inspector-store.ts'

/**
 * The backend as the page has it: its API, and an import that hands the backend a file the user chose
 * as it is, of any size (the browser face uploads it as it reads it; the desktop app gives its path).
 */
export type PageApi = InspectorApi & { importFile(file: File): Promise<RecordingSummary> }

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser. */
    sseInspector?: PageApi
  }
}

/** The backend, whichever face serves this page: Electron's preload, else the browser face's HTTP API. */
export function createApiClient(): PageApi {
  if (window.sseInspector) return window.sseInspector
  const token = new URLSearchParams(window.location.search).get('token') ?? ''
  return createHttpClient(token, (serverLink) => {
    if (useInspector.getState().serverLink !== serverLink) useInspector.setState({ serverLink })
  })
}
