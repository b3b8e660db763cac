import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { CLI, runCli as cli, spawnCli } from '../../../support/run-cli.ts'

test('cli: a mistyped option names the one meant; a missing or unwanted value says which option', async () => {
  const cases: [string[], string][] = [
    [['watch', 'http://127.0.0.1/', '--max-tim', '3'], 'unknown option --max-tim; did you mean --max-time?'],
    [['watch', 'http://127.0.0.1/', '--no-reconect'], 'did you mean --no-reconnect?'],
    [['check', 'http://127.0.0.1/', '--jsn'], 'did you mean --json?'],
    [['watch', 'http://127.0.0.1/', '--zzzzzz'], 'unknown option --zzzzzz (--help lists the options)'],
    [['watch', 'http://127.0.0.1/', '-X'], '-X, --request needs a value'],
    [['watch', 'http://127.0.0.1/?a=1', '--json=yes'], '--json takes no value'],
    [
      ['watch', 'http://127.0.0.1/', '--last-event-id', '-5'],
      '--last-event-id needs a value; one that starts with "-" is written --last-event-id=VALUE',
    ],
    [['demo', 'extra'], 'unexpected argument "extra"'],
    [['replay', 'x.rec', '--each-attempt'], '--each-attempt goes with --serve'],
    [['replay', 'x.rec', '--serve', '-i'], '--include is about printing; it does not go with --serve'],
    [['replay', 'x.rec', '--cors', 'http://localhost:3000'], '--cors goes with --serve'],
    [
      ['replay', 'x.rec', '--serve', '--cors', 'localhost:3000'],
      '--cors needs an origin such as https://app.example.com (or \'*\'), not "localhost:3000"',
    ],
    [
      ['watch', 'http://127.0.0.1/', '-X', 'GET', '-d', 'x'],
      'a GET request cannot carry a body (--data): leave out -X GET, or use -X POST',
    ],
  ]
  for (const [args, message] of cases) {
    const run = await cli(args)
    expect(run.code, args.join(' ')).toBe(2)
    expect(run.stderr).toContain(`sse-inspector ${args[0]}: `)
    expect(run.stderr).toContain(message)
    // parseArgs' own advice is about its API, not this CLI
    expect(run.stderr).not.toContain("after '--'")
  }
})

// Debian's Node (20) is on this machine and CI's beside the current one the project runs on.
const OLD_NODE = '/usr/bin/node'
const oldNodeVersion = existsSync(OLD_NODE)
  ? spawnSync(OLD_NODE, ['--version'], { encoding: 'utf8' }).stdout.trim()
  : ''

test('cli: an unknown command is refused with the usage, even one named like an object property', async () => {
  for (const name of ['wach', 'constructor', '__proto__', 'toString']) {
    const run = await cli([name])
    expect(run.code, name).toBe(2)
    expect(run.stderr).toContain(`sse-inspector: unknown command ${JSON.stringify(name)}`)
  }
})

test.runIf(/^v(1\d|2[01])\.|^v22\.(\d|1[01])\./.test(oldNodeVersion))(
  'cli: on a Node older than 22.12 it says which Node it needs instead of failing on TypeScript',
  () => {
    const run = spawnSync(OLD_NODE, [CLI, 'watch', 'http://127.0.0.1/'], { encoding: 'utf8' })
    expect(run.status).toBe(1)
    expect(run.stderr).toBe(
      `sse-inspector: needs Node.js 22.12 or newer (.nvmrc says 24); this is ${oldNodeVersion} at ${OLD_NODE}\n`,
    )
  },
)

test('cli completion bash: completes commands, each command’s options, and file names after them', async () => {
  const script = await cli(['completion', 'bash'])
  expect(script.code).toBe(0)
  const complete = (words: string[]) => {
    const run = spawnSync(
      'bash',
      [
        '-c',
        `eval "$(cat)"; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _sse_inspector; printf '%s\\n' "\${COMPREPLY[@]}"`,
      ],
      {
        input: script.stdout,
        encoding: 'utf8',
        cwd: new URL('../../../fixtures/', import.meta.url).pathname,
      },
    )
    expect(run.stderr).toBe('')
    return run.stdout.trim().split('\n')
  }
  expect(complete(['sse-inspector', 'wa'])).toEqual(['watch'])
  expect(complete(['sse-inspector', 'watch', '--max-'])).toEqual([
    '--max-reconnects',
    '--max-event-bytes',
    '--max-events',
    '--max-time',
  ])
  expect(complete(['sse-inspector', 'replay', '--l'])).toEqual(['--llm', '--loop', '--llm-path'])
  expect(complete(['sse-inspector', 'replay', 'client-key-enc'])).toEqual(['client-key-encrypted.pem'])
  const bad = await cli(['completion', 'fish'])
  expect(bad.code).toBe(2)
})

test('cli serve --open: with no browser to open, it says so and keeps serving the URL it printed', async () => {
  const serve = spawnCli(['serve', '--open', '--port', '0'], { PATH: '/nonexistent' }) // no xdg-open nor open
  try {
    await serve.until('stderr', /\n/)
    expect(serve.output.stderr).toMatch(
      /^sse-inspector serve: could not open a browser \((xdg-)?open not found\); open the URL above\n$/,
    )
    const url = /is at (\S+)/.exec(serve.output.stdout)![1]!
    expect((await fetch(url)).status).toBe(200)
  } finally {
    serve.child.kill('SIGINT')
  }
})

test('cli: a port in use is said the same way by every command that listens', async () => {
  const taken = createServer()
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
  const port = String((taken.address() as { port: number }).port)
  try {
    const dir = mkdtempSync(join(tmpdir(), 'port-in-use-'))
    writeFileSync(join(dir, 'a.sse'), 'data: a\n\n')
    await cli(['import', join(dir, 'a.sse'), '-o', join(dir, 'a.sserec')])
    for (const args of [
      ['demo', '--port', port],
      ['serve', '--port', port],
      ['probe', '--port', port],
      ['replay', join(dir, 'a.sserec'), '--serve', '--port', port],
    ]) {
      const run = await cli(args)
      expect(run.code, args[0]).toBe(1)
      expect(run.stderr).toMatch(
        new RegExp(`^sse-inspector ${args[0]}: cannot listen on 127\\.0\\.0\\.1:${port}: listen EADDRINUSE`),
      )
    }
  } finally {
    taken.close()
  }
})

test('cli: a time option longer than a timer takes (24 days) is refused; it stopped at once instead', async () => {
  for (const [command, flag] of [
    ['watch', '--max-time'],
    ['record', '--max-time'],
    ['check', '--idle'],
    ['watch', '--first-byte-timeout'],
  ] as const) {
    const output = command === 'record' ? ['-o', '/dev/null'] : []
    const run = await cli([command, 'http://127.0.0.1:9/', flag, '9999999', ...output])
    expect(run).toMatchObject({
      code: 2,
      stderr: `sse-inspector ${command}: ${flag} takes at most 2147483 s (24 days), got 9999999\n`,
    })
  }
})

test('cli: a header value or Last-Event-ID with a line break is bad usage, said before connecting', async () => {
  const url = 'http://127.0.0.1:9/'
  for (const [args, message] of [
    [
      ['-H', 'X-A: a\r\nInjected: 1'],
      'header X-A: its value holds a line break or NUL, which a header cannot carry',
    ],
    [
      ['--curl', `curl -H $'X: a\\rb' ${url}`],
      'header X: its value holds a line break or NUL, which a header cannot carry',
    ],
    [
      ['--last-event-id', '41\n42'],
      '--last-event-id holds a line break or NUL: an event id never does, and a header cannot carry one',
    ],
  ] as const) {
    const run = await cli(['watch', ...(args[0] === '--curl' ? [] : [url]), ...args])
    expect(run).toMatchObject({ code: 2, stderr: `sse-inspector watch: ${message}\n` })
  }
})
