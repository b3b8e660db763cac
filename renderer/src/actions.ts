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
  useInspector.getState().setError(await openRecordingTab(api, recordingId, name, speed))
}

/** Opens a recording in a tab; what went wrong (it is damaged, or did not open), if anything, is returned. */
async function openRecordingTab(
  api: InspectorApi,
  recordingId: string,
  name: string,
  speed: ReplaySpeed,
): Promise<string | undefined> {
  const { addConnection, setNotice } = useInspector.getState()
  try {
    const { connectionId, request, problems, notice } = await api.openRecording(recordingId, { speed })
    addConnection(connectionId, request, { recordingName: name })
    flushEarlyPushes(connectionId)
    setNotice(notice)
    return problems.length ? `The recording is damaged: ${problems.join('; ')}` : undefined
  } catch (error) {
    return errorText(error)
  }
}

/**
 * Files from this machine (recordings, HAR or SSE text), each in a tab, in turn: imported into the
 * library as they are read (a file of gigabytes is never in the page), then opened as the Library's
 * Open does. What went wrong with any is said at the end, together (one file's success no longer
 * clears another's failure).
 */
export async function openFiles(api: PageApi, files: Iterable<File>): Promise<void> {
  const { setNotice, setError } = useInspector.getState()
  const failures: string[] = []
  for (const file of files) {
    setNotice(`Opening ${file.name}…`)
    try {
      const { id, name } = await api.importFile(file)
      setNotice(undefined)
      const problem = await openRecordingTab(api, id, name, 'instant')
      if (problem) failures.push(`${file.name}: ${problem}`)
    } catch (error) {
      setNotice(undefined)
      failures.push(errorText(error)) // "cannot import NAME: …" names the file already
    }
  }
  setError(failures.length > 0 ? failures.join(' · ') : undefined)
}

/** Closes a connection's tab: disconnects it if live and lets the backend forget it (the recording stays). */
export async function closeConnection(api: InspectorApi, connectionId: string): Promise<void> {
  dropPushesOf(connectionId)
  useInspector.getState().removeConnection(connectionId)
  await api.closeConnection(connectionId).catch(showFailure)
}
