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
