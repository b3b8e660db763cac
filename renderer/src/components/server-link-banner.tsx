import { useInspector } from '../store/inspector-store.ts'

/** Says when the browser face's page has lost its server, or was opened without the link's token. */
export function ServerLinkBanner() {
  const serverLink = useInspector((s) => s.serverLink)
  if (serverLink === 'up') return null
  return (
    <div className="error-banner" role="alert" aria-label="Server link">
      {serverLink === 'refused'
        ? 'This page has no valid token: open the link "sse-inspector serve" (npm run web) printed — it ends in ?token=…; a link from an earlier start no longer works.'
        : 'Lost the SSE Inspector server; retrying every second. If it was stopped, start it again (npm run web) and open the link it prints.'}
    </div>
  )
}
