// The Electron shell: one window with secure defaults, the backend behind validated IPC. The only
// code that imports electron; it translates IPC to Backend calls and holds no logic of its own.
import { basename, isAbsolute, join } from 'node:path'
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  screen,
  session,
  shell,
  type IpcMainInvokeEvent,
} from 'electron'
import { API_METHODS, type ExportFormat, type Push } from '../../shared/api.ts'
import { parseApiArgs } from '../../shared/api-validation.ts'
import { IMPORTABLE_EXTENSIONS } from '../../shared/recording/library.ts'
import { createBackend, type Backend } from '../backend/backend.ts'
import { PageRejoin } from '../backend/page-rejoin.ts'
import { createAcknowledgedOutbox } from '../backend/push-outbox.ts'
import { filesToOpen } from './opened-files.ts'
import { loadWindowBounds, saveWindowBounds } from './window-bounds.ts'

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
const RENDERER_URL = new URL(`file://${join(import.meta.dirname, '../renderer/index.html')}`).href

let backend: Backend | undefined
let mainWindow: BrowserWindow | undefined
// webContents.send never says the page is behind: the preload acknowledges each batch once applied,
// and the outbox holds (merged, capped) what a busy page cannot take yet.
const pushes = createAcknowledgedOutbox((batch) => mainWindow?.webContents.send('inspector:push', batch))
/** The page's connections given back after a load (a reload): live pushes go after their records. */
let rejoin: PageRejoin | undefined
let isPageLoaded = false
/** Files the app was asked to open (at launch, by a second launch, by macOS) that the page has not yet. */
const filesWaiting: string[] = []

const toPage = (batch: readonly Push[]) => (rejoin ? rejoin.add(batch) : pushes.add(batch))
const isUnpackaged = process.defaultApp === true // `electron .`: its argv has the app's folder too

function createWindow(): BrowserWindow {
  const boundsFile = join(app.getPath('userData'), 'window-bounds.json')
  const window = new BrowserWindow({
    ...loadWindowBounds(
      boundsFile,
      { width: 1280, height: 820 },
      screen.getAllDisplays().map((display) => display.workArea),
    ),
    minWidth: 800, // below this the bars crowd the event list out
    minHeight: 520,
    title: 'SSE Inspector',
    icon: join(import.meta.dirname, '../renderer/icon.png'), // the window's (packaged apps take build/'s)
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
    },
  })
  // Never navigate or open windows inside the app; http(s) links go to the system browser.
  window.webContents.on('will-navigate', (event) => event.preventDefault())
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  window.on('close', () => saveWindowBounds(boundsFile, window.getBounds()))
  // A reloaded page gets its connections back (their records read back first); a closed one stops them.
  window.webContents.on('did-start-loading', () => {
    rejoin = undefined
    isPageLoaded = false
  })
  window.webContents.on('did-finish-load', () => {
    pushes.reset() // what the old page was sent: never acknowledged
    if (!backend) return
    const current: PageRejoin = new PageRejoin(
      backend,
      backend.work(),
      pushes,
      () => rejoin !== current, // reloaded again: that page reads back afresh
    )
    rejoin = current
    isPageLoaded = true
    void openWaitingFiles()
  })
  window.on('closed', () => backend?.stopAll())
  void window.loadURL(RENDERER_URL)
  return window
}

/** Only our own window's top frame, showing our own page, may call the backend. */
function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  return event.sender === mainWindow?.webContents && event.senderFrame?.url === RENDERER_URL
}

/** An export goes where a save dialog says, written by the backend: its bytes never cross IPC. */
async function saveExport(api: Backend, recordingId: string, format: ExportFormat): Promise<unknown> {
  const { fileName } = (await api.exportRecording(recordingId, format))!
  const options = { defaultPath: join(app.getPath('downloads'), fileName) }
  const { canceled, filePath } = await (mainWindow
    ? dialog.showSaveDialog(mainWindow, options)
    : dialog.showSaveDialog(options))
  if (canceled || !filePath) return undefined
  await api.saveExport(recordingId, format, filePath)
  return { fileName, path: filePath }
}

function registerIpc(api: Backend): void {
  for (const method of API_METHODS) {
    ipcMain.handle(`inspector:${method}`, async (event, ...args: unknown[]) => {
      if (!isTrustedSender(event)) throw new Error('refused: untrusted sender')
      const valid = parseApiArgs(method, args)
      if (method === 'exportRecording') return saveExport(api, ...(valid as [string, ExportFormat]))
      const call = api[method] as (...values: unknown[]) => Promise<unknown>
      return call(...valid)
    })
  }
  // A file dropped or picked in the page, by its path (webUtils.getPathForFile): imported as it is read.
  ipcMain.handle('inspector:importFile', async (event, fileName: unknown, path: unknown) => {
    if (!isTrustedSender(event)) throw new Error('refused: untrusted sender')
    const [name] = parseApiArgs('importRecording', [fileName, new Uint8Array(0)]) as [string]
    if (typeof path !== 'string' || !isAbsolute(path))
      throw new Error(`${name} is not a file on this machine`)
    return api.importFile(name, path)
  })
  ipcMain.on('inspector:push-ack', (event) => {
    if (event.sender === mainWindow?.webContents) pushes.acknowledge()
  })
  api.subscribe(toPage, (connectionId) => pushes.pressureOf(connectionId))
}

/** Asks for files to be opened: each goes into the library and the page opens it, once it is loaded. */
function openFiles(paths: readonly string[]): void {
  filesWaiting.push(...paths)
  // macOS keeps the app running with no window: a double-clicked recording opens one.
  if (app.isReady() && BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow()
  void openWaitingFiles()
}

async function openWaitingFiles(): Promise<void> {
  if (!backend || !isPageLoaded) return
  for (const path of filesWaiting.splice(0)) {
    try {
      const { id, name } = await backend.importFile(basename(path), path)
      toPage([{ kind: 'open-recording', recordingId: id, name }])
    } catch (error) {
      const message = `Cannot open ${basename(path)}`
      const detail = (error as Error).message // "cannot import x: not a recording, a HAR file or SSE text …"
      if (mainWindow) void dialog.showMessageBox(mainWindow, { type: 'error', message, detail })
    }
  }
}

/** File → Open…: the files chosen go the way a double-clicked one does. */
async function openFromDialog(): Promise<void> {
  const options: Electron.OpenDialogOptions = {
    properties: ['openFile', 'multiSelections'],
    filters: [{ name: 'Recordings, HAR, SSE text', extensions: [...IMPORTABLE_EXTENSIONS] }],
  }
  const { filePaths } = await (mainWindow
    ? dialog.showOpenDialog(mainWindow, options)
    : dialog.showOpenDialog(options))
  openFiles(filePaths)
}

// One app at a time: a second launch (a recording double-clicked) hands its files to this one and ends.
const isFirstInstance = app.requestSingleInstanceLock()
if (!isFirstInstance) app.quit()
app.on('second-instance', (_event, argv, workingDirectory) => {
  openFiles(filesToOpen(argv, { workingDirectory, isUnpackaged }))
  if (mainWindow && !mainWindow.isDestroyed()) {
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  }
})
// macOS hands files over as events, the one that launched the app before it is ready.
app.on('open-file', (event, path) => {
  event.preventDefault()
  openFiles([path])
})

void app.whenReady().then(() => {
  if (!isFirstInstance) return
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.defaultSession.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } }),
  )
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
      {
        label: 'File',
        submenu: [
          { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => void openFromDialog() },
          { type: 'separator' },
          process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
        ],
      },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]),
  )
  backend = createBackend()
  registerIpc(backend)
  mainWindow = createWindow()
  openFiles(filesToOpen(process.argv, { workingDirectory: process.cwd(), isUnpackaged }))
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow()
  })
})

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault())
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})

app.on('before-quit', () => void backend?.close())
