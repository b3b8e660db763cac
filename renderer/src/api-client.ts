import type { InspectorApi } from '../../shared/api.ts'
import { createHttpClient } from './http-client.ts'
import { useInspector } from './store/inspector-store.ts'

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser. */
    sseInspector?: InspectorApi
  }
}

/** The backend, whichever face serves this page: Electron's preload, else the browser face's HTTP API. */
export function createApiClient(): InspectorApi {
  if (window.sseInspector) return window.sseInspector
  const token = new URLSearchParams(window.location.search).get('token') ?? ''
  return createHttpClient(token, (serverLink) => {
    if (useInspector.getState().serverLink !== serverLink) useInspector.setState({ serverLink })
  })
}
