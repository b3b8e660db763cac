import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { nodeStreamDeps } from '../../../../main/net/node-stream-deps.ts'
import { createRecorder } from '../../../../main/recording/recorder.ts'
import { readRecordingFileLazily } from '../../../../main/recording/recording-file.ts'
import { startReplayServer, type ReplayServer } from '../../../../main/servers/replay-server.ts'
import { openStream } from '../../../../shared/sse/open-stream.ts'
import { useDemoServer } from '../../../support/demo.ts'

const demo = useDemoServer()
const dir = mkdtempSync(join(tmpdir(), 'replay-cors-'))
let server: ReplayServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** Records the demo ticker answering with CORS headers for the recorded site's own origin. */
async function recordedWithCors(): Promise<string> {
  const file = join(dir, 'cors.rec')
  const request = {
    url: `${demo.url}/ticker?interval=1&count=3&cors=1`,
    headers: [['Origin', 'https://recorded.example']] as const,
    reconnect: { isEnabled: false },
  }
  const recorder = createRecorder(file, request)
  const { deps, close } = nodeStreamDeps()
  await openStream(request, deps, (records) => recorder.write(records)).done
  await recorder.close()
  await close()
  return file
}

const corsOf = (response: Response) => ({
  origin: response.headers.get('access-control-allow-origin'),
  credentials: response.headers.get('access-control-allow-credentials'),
})

test('replay server: pages from this machine, and origins named, may read a stream from a browser; others may not', async () => {
  const file = await recordedWithCors()
  server = await startReplayServer(readRecordingFileLazily(file), {
    speed: 100,
    corsOrigins: ['https://staging.example'],
  })
  const get = (origin?: string) => fetch(server!.url, { headers: origin ? { origin } : {} })
  for (const origin of ['http://localhost:3000', 'http://127.0.0.1:5173', 'https://staging.example']) {
    const response = await get(origin)
    expect(corsOf(response), origin).toEqual({ origin, credentials: 'true' })
    expect(await response.text()).toContain('data: {"seq":3')
  }
  // Another site's page gets the recording's headers as recorded: they name the recorded site, not it.
  const foreign = await get('https://evil.example')
  expect(corsOf(foreign)).toEqual({ origin: 'https://recorded.example', credentials: 'true' })
  expect(await foreign.text()).toContain('data: {"seq":3') // the stream itself, as any non-browser client gets it
  const withoutOrigin = await get()
  expect(corsOf(withoutOrigin).origin).toBe('https://recorded.example')
  await withoutOrigin.text()
})

test('replay server: a CORS preflight is answered, never replayed, and takes no attempt of the story', async () => {
  const file = await recordedWithCors()
  server = await startReplayServer(readRecordingFileLazily(file), { isEachAttempt: true, speed: 100 })
  const preflight = (origin: string) =>
    fetch(server!.url, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, authorization',
      },
    })
  const allowed = await preflight('http://localhost:3000')
  expect(allowed.status).toBe(204)
  expect(Object.fromEntries(allowed.headers)).toMatchObject({
    'access-control-allow-origin': 'http://localhost:3000',
    'access-control-allow-methods': 'POST',
    'access-control-allow-headers': 'content-type, authorization',
    'access-control-allow-credentials': 'true',
  })
  // A named site on the internet reaching this machine: Chrome's Private Network Access asks too.
  await server.close()
  server = await startReplayServer(readRecordingFileLazily(file), {
    isEachAttempt: true,
    corsOrigins: ['https://staging.example'],
  })
  const fromSite = await fetch(server.url, {
    method: 'OPTIONS',
    headers: {
      origin: 'https://staging.example',
      'access-control-request-method': 'GET',
      'access-control-request-private-network': 'true',
    },
  })
  expect(fromSite.headers.get('access-control-allow-private-network')).toBe('true')
  expect(fromSite.headers.get('access-control-allow-origin')).toBe('https://staging.example')
  const refused = await preflight('https://evil.example')
  expect(refused.status).toBe(204)
  expect(refused.headers.get('access-control-allow-origin')).toBe(null)
  // Both preflights left the one recorded attempt for the request that follows them.
  const first = await fetch(server.url, { headers: { origin: 'http://localhost:3000' } })
  expect(first.status).toBe(200)
  expect(await first.text()).toContain('data: {"seq":3')
  expect((await fetch(server.url)).status).toBe(204) // then the story is over
})
