// The preload: the backend API as named methods (never a generic invoke), over IPC.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron'
import type { InspectorApi, Push } from '../../shared/api.ts'
import type { RecordingSummary } from '../../shared/recording/library.ts'

const api: InspectorApi & { importFile(file: File): Promise<RecordingSummary> } = {
  connect: (request, options) => ipcRenderer.invoke('inspector:connect', request, options ?? {}),
  disconnect: (connectionId) => ipcRenderer.invoke('inspector:disconnect', connectionId),
  closeConnection: (connectionId) => ipcRenderer.invoke('inspector:closeConnection', connectionId),
  reconnect: (connectionId, options) =>
    ipcRenderer.invoke('inspector:reconnect', connectionId, options ?? {}),
  readChunks: (connectionId, fromSeq, toSeq) =>
    ipcRenderer.invoke('inspector:readChunks', connectionId, fromSeq, toSeq),
  runChecks: (request, options) => ipcRenderer.invoke('inspector:runChecks', request, options),
  stopChecks: (runId) => ipcRenderer.invoke('inspector:stopChecks', runId),
  startDemo: () => ipcRenderer.invoke('inspector:startDemo'),
  listRecordings: () => ipcRenderer.invoke('inspector:listRecordings'),
  editRecording: (recordingId, edit) => ipcRenderer.invoke('inspector:editRecording', recordingId, edit),
  deleteRecording: (recordingId) => ipcRenderer.invoke('inspector:deleteRecording', recordingId),
  openRecording: (recordingId, options) =>
    ipcRenderer.invoke('inspector:openRecording', recordingId, options),
  serveRecording: (recordingId, options) =>
    ipcRenderer.invoke('inspector:serveRecording', recordingId, options),
  stopServingRecording: (recordingId) => ipcRenderer.invoke('inspector:stopServingRecording', recordingId),
  exportRecording: (recordingId, format) =>
    ipcRenderer.invoke('inspector:exportRecording', recordingId, format),
  importRecording: (fileName, bytes) => ipcRenderer.invoke('inspector:importRecording', fileName, bytes),
  // A file the user chose goes by its path: the shell imports it as it reads it, its bytes never cross IPC.
  importFile: (file) => ipcRenderer.invoke('inspector:importFile', file.name, webUtils.getPathForFile(file)),
  diffRecordings: (a, b, ignored) => ipcRenderer.invoke('inspector:diffRecordings', a, b, ignored ?? []),
  libraryLocation: () => ipcRenderer.invoke('inspector:libraryLocation'),
  annotate: (connectionId, text) => ipcRenderer.invoke('inspector:annotate', connectionId, text),
  setLibraryLocation: (dir) => ipcRenderer.invoke('inspector:setLibraryLocation', dir),
  controlReplay: (connectionId, control) =>
    ipcRenderer.invoke('inspector:controlReplay', connectionId, control),
  subscribe(listener) {
    const handler = (_event: IpcRendererEvent, batch: readonly Push[]) => {
      try {
        listener(batch)
      } finally {
        ipcRenderer.send('inspector:push-ack') // the shell sends no more than the page has taken
      }
    }
    ipcRenderer.on('inspector:push', handler)
    return () => void ipcRenderer.off('inspector:push', handler)
  },
}

contextBridge.exposeInMainWorld('sseInspector', api)
