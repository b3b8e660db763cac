import { useEffect, useState } from 'react'
import { useApi } from '../api-context.ts'
import { errorText } from '../format.ts'
import { useInspector } from '../store/inspector-store.ts'

/**
 * The built-in demo server, started on first use: its address once it listens, else why it did not
 * start (undefined while it starts).
 */
export function useDemoServer(): { demo: { url: string } | undefined; failure: string | undefined } {
  const api = useApi()
  const demo = useInspector((s) => s.demo)
  const [failure, setFailure] = useState<string>()
  useEffect(() => {
    if (demo) return
    api
      .startDemo()
      .then((info) => useInspector.setState({ demo: info }))
      .catch((error: unknown) =>
        // Said here, not in a second banner: without a valid token the link banner says what to do.
        setFailure(
          useInspector.getState().serverLink === 'refused'
            ? 'The demo streams need the page opened with its link (see above).'
            : `The demo server did not start: ${errorText(error)}`,
        ),
      )
  }, [api, demo])
  return { demo, failure }
}
