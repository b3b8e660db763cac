import type { InspectorApi } from '../../shared/api.ts'
import { useInspector } from './store/inspector-store.ts'
import { toStreamRequest } from './store/request-draft.ts'
import { rememberRecent } from './store/request-library.ts'

/** Connects with the current draft; a refusal (bad URL…) shows as an error, never a crash. */
export async function connectDraft(api: InspectorApi): Promise<void> {
  const { draft, addConnection, setError } = useInspector.getState()
  const request = toStreamRequest(draft)
  if (!request.url) {
    setError('Enter a URL to connect to.')
    return
  }
  try {
    const { connectionId } = await api.connect(request)
    setError(undefined)
    addConnection(connectionId, request)
    rememberRecent(request)
  } catch (error) {
    setError(error instanceof Error ? error.message : String(error))
  }
}
