import { expect, test } from 'vitest'
import type { Finding } from '../../../../shared/checks/finding.ts'
import { toMarkdownReport, toTextReport } from '../../../../shared/checks/report-format.ts'

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
