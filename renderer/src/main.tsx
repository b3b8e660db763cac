import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createApiClient } from './api-client.ts'
import { ApiContext } from './api-context.ts'
import { App } from './app.tsx'
import { startBackendClient } from './backend-client.ts'
import { keepDocumentTitle } from './document-title.ts'
import { rememberView } from './remembered-view.ts'
import './styles.css'
import { startTheme } from './theme.ts'

startTheme()
const api = createApiClient()
startBackendClient(api)
rememberView()
keepDocumentTitle()

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApiContext.Provider value={api}>
      <App />
    </ApiContext.Provider>
  </StrictMode>,
)
