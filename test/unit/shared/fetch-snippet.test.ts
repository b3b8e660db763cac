import { spawn } from 'node:child_process'
import { expect, test } from 'vitest'
import { toFetchSnippet } from '../../../shared/curl/fetch-snippet.ts'
import { useDemoServer } from '../../support/demo.ts'

const demo = useDemoServer()

/** Runs a snippet as Node runs a pasted module (top-level await), resolving with what it printed. */
async function run(snippet: string): Promise<string> {
  // Not spawnSync: the demo server answers from this process's event loop.
  const child = spawn(process.execPath, ['--input-type=module', '-e', snippet], { timeout: 10_000 })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (part: Buffer) => (stdout += part.toString()))
  child.stderr.on('data', (part: Buffer) => (stderr += part.toString()))
  const code = await new Promise((resolve) => child.on('close', resolve))
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
  return stdout
}

test('fetch snippet: the request as runnable JavaScript that streams the body', async () => {
  const snippet = toFetchSnippet(
    {
      url: `${demo.url}/echo-headers?access_token=tok-1`,
      method: 'POST',
      headers: [
        ['Authorization', 'Bearer sk-1'],
        ['X-Trace', 'it\'s "quoted"'],
      ],
      body: '{"q":1,"api_key":"k-1"}',
      lastEventId: '41',
    },
    { isShowingSecrets: true },
  )
  const printed = await run(snippet)
  expect(printed).toMatch(/^200 text\/event-stream/)
  const echo = JSON.parse(/^data: (.*)$/m.exec(printed)![1]!) as {
    method: string
    headers: Record<string, string>
    body: string
  }
  expect(echo).toMatchObject({ method: 'POST', body: '{"q":1,"api_key":"k-1"}' })
  expect(echo.headers).toMatchObject({
    authorization: 'Bearer sk-1',
    'x-trace': 'it\'s "quoted"',
    'last-event-id': '41',
  })
})

test('fetch snippet: secrets redacted unless shown; what fetch cannot do is said', () => {
  const snippet = toFetchSnippet({
    url: 'https://api.example/s?access_token=tok-2',
    headers: [['Authorization', 'Bearer sk-2']],
    body: '{"password":"pw-2"}',
    method: 'POST',
    transport: { proxyUrl: 'http://u:proxy-pw@proxy:3128', isInsecureTls: true },
  })
  expect(snippet).not.toMatch(/tok-2|sk-2|pw-2|proxy-pw/)
  expect(snippet).toContain('"Authorization": "Bearer [redacted]"')
  expect(snippet.split('\n')[0]).toBe(
    '// The inspector sent this through the proxy http://u:REDACTED@proxy:3128/, accepting any TLS certificate: fetch cannot say so.',
  )
})

test('fetch snippet: a login in the URL goes as Basic auth (fetch refuses such a URL), redacted unless shown', async () => {
  const request = { url: `${demo.url.replace('http://', 'http://qa:pw@')}/echo-headers` }
  const shown = toFetchSnippet(request, { isShowingSecrets: true })
  expect(shown).toContain(`fetch("${demo.url}/echo-headers"`)
  expect(await run(shown)).toContain(`"authorization":"Basic ${btoa('qa:pw')}"`)
  expect(toFetchSnippet(request)).toContain('"Authorization": "Basic [redacted]"')
})
