import type { InspectorApi, ReplaySpeed } from '../../shared/api.ts'
import type { PageApi } from './api-client.ts'
import { dropPushesOf, flushEarlyPushes } from './backend-client.ts'
import { useInspector } from './store/inspector-store.ts'
import { draftProblemText, toStreamRequest } from './store/request-draft.ts'
import { rememberRecent } from './store/request-library.ts'
import { errorText } from './format.ts'
import { showFailure } from './show-failure.ts'

/** Connects with the current draft; a refusal (bad URL…) shows as an error, never a crash. */
export async function connectDraft(api: InspectorApi): Promise<void> {
  const { draft, addConnection, setDraft, setError } = useInspector.getState()
  const request = toStreamRequest(draft)
  if (!request.url) {
    setError('Enter a URL to connect to.')
    return
  }
  const problems = draftProblemText(draft)
  if (problems) return setError(problems) // a value typed wrong is not swapped for the default
  try {
    const { connectionId, recordingError } = await api.connect(request, { isRecording: draft.isRecording })
    setError(recordingError) // connected all the same; say why it is not recorded
    if (draft.url !== request.url) setDraft({ url: request.url }) // the scheme it took (http://), as an address bar shows
    addConnection(connectionId, request, { isRecorded: draft.isRecording && !recordingError })
    flushEarlyPushes(connectionId)
    rememberRecent(request)
  } catch (error) {
    setError(errorText(error))
  }
}

/** Opens a recording from the library as a connection tab, replayed at `speed` (or all at once). */
export async function openRecording(
  api: InspectorApi,
  recordingId: string,
  name: string,
  speed: ReplaySpeed,
): Promise<void> {
  const { addConnection, setError, setNotice } = useInspector.getState()
  try {
    const { connectionId, request, problems, notice } = await api.openRecording(recordingId, { speed })
    addConnection(connectionId, request, { recordingName: name })
    flushEarlyPushes(connectionId)
    setError(problems.length ? `The recording is damaged: ${problems.join('; ')}` : undefined)
    setNotice(notice)
  } catch (error) {
    setError(errorText(error))
  }
}

/**
 * A file from this machine (a recording, HAR or SSE text) in a tab: imported into the library as it is
 * read (a file of gigabytes is never in the page), then opened as the Library's Open does.
 */
export async function openFile(api: PageApi, file: File): Promise<void> {
  const { setNotice } = useInspector.getState()
  setNotice(`Opening ${file.name}…`)
  try {
    const { id, name } = await api.importFile(file)
    setNotice(undefined)
    await openRecording(api, id, name, 'instant')
  } catch (error) {
    setNotice(undefined)
    showFailure(error)
  }
}

/** Closes a connection's tab: disconnects it if live and lets the backend forget it (the recording stays). */
export async function closeConnection(api: InspectorApi, connectionId: string): Promise<void> {
  dropPushesOf(connectionId)
  useInspector.getState().removeConnection(connectionId)
  await api.closeConnection(connectionId).catch(showFailure)
}
