import { afterAll, beforeAll } from 'vitest'
import { startDemoServer, type DemoServer } from '../../main/servers/demo-server.ts'

/** Starts the demo server on 127.0.0.1:0 for the file's tests; `demo.url` is valid inside tests. */
export function useDemoServer(): { readonly url: string } {
  let server: DemoServer | undefined
  beforeAll(async () => {
    server = await startDemoServer()
  })
  afterAll(async () => {
    await server?.close()
  })
  return {
    get url() {
      if (!server) throw new Error('demo server not started')
      return server.url
    },
  }
}
