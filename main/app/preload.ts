// The preload exposes named methods only (never a generic invoke). The API arrives with the app issue.
import { contextBridge } from 'electron'

contextBridge.exposeInMainWorld('sseInspector', { platform: process.platform })
