import { expect, test } from 'vitest'
import type { Finding } from '../../../../shared/checks/finding.ts'
import { toJunitSuites, toMarkdownReport, toTextReport } from '../../../../shared/checks/report-format.ts'

const missingHeader: Finding = {
  id: 'cache-control',
  title: 'Cache-Control forbids caching',
  status: 'warn',
  evidence: { cacheControl: null },
  explanation: 'Without no-cache or no-store a cache or CDN may store the stream and replay a stale copy.',
  fixes: [],
}

test('reports: an absent header is evidence, said as "(none)" rather than left blank', () => {
  const text = toTextReport('http://127.0.0.1:1/s', [missingHeader], (_code, t) => t)
  expect(text).toContain('  evidence: cacheControl=(none)\n')
  const markdown = toMarkdownReport('http://127.0.0.1:1/s', [missingHeader])
  expect(markdown).toContain('- cacheControl: `(none)`')
})

test('reports: string evidence is quoted in text, numbers are not', () => {
  const finding: Finding = { ...missingHeader, evidence: { cacheControl: 'public', maxAgeS: 60 } }
  const text = toTextReport('http://127.0.0.1:1/s', [finding], (_code, t) => t)
  expect(text).toContain('evidence: cacheControl="public" maxAgeS=60')
})

test('reports: what a server sent shows literally in Markdown, never as a link, an image or a table cell', () => {
  const body = 'data: x ![t](https://tracker.example/p.png) `code` | <img src=x>'
  const finding: Finding = {
    ...missingHeader,
    id: 'content-type',
    status: 'fail',
    evidence: { body },
    explanation: `The body starts: ${body}`,
  }
  const markdown = toMarkdownReport('http://127.0.0.1:1/s', [finding])
  expect(markdown).toContain(
    '| ❌ fail | `content-type` | The body starts: data: x \\!\\[t\\](https://tracker.example/p.png) \\`code\\` \\| \\<img src=x\\> |',
  )
  expect(markdown).toContain('- body: ``data: x ![t](https://tracker.example/p.png) `code` | <img src=x>``')
})

test('reports: JUnit XML stays well-formed when a server sent control characters', () => {
  const finding: Finding = {
    ...missingHeader,
    status: 'fail',
    evidence: { body: 'a\x1b[2Jb\x00c' },
    explanation: 'The body starts: a\x1b[2Jb <x> & "y"',
  }
  const xml = toJunitSuites([{ url: 'http://127.0.0.1:1/s', findings: [finding] }], 1000)
  expect(xml).toContain('message="The body starts: a\\x1b[2Jb &lt;x&gt; &amp; &quot;y&quot;"')
  expect(xml).toContain('body=&quot;a\\u001b[2Jb\\u0000c&quot;') // evidence strings are JSON-quoted
  // eslint-disable-next-line no-control-regex -- what XML 1.0 forbids
  expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/)
})

test('reports: a fix for what the response names in the path says which header named it', () => {
  const finding: Finding = {
    ...missingHeader,
    fixes: [
      { target: 'nginx', hint: 'proxy_buffering off;', seenAs: 'server: nginx/1.22.1' },
      { target: 'Go', hint: 'Flush()' },
    ],
  }
  const text = toTextReport('http://127.0.0.1:1/s', [finding], (_code, t) => t)
  expect(text).toContain(
    '  fix (nginx, in the path: server: nginx/1.22.1): proxy_buffering off;\n  fix (Go): Flush()',
  )
  const markdown = toMarkdownReport('http://127.0.0.1:1/s', [finding])
  expect(markdown).toContain('- **nginx** (in the path: `server: nginx/1.22.1`): `proxy_buffering off;`')
  expect(markdown).toContain('- **Go**: `Flush()`')
})
