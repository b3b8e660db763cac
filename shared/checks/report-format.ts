import { evidenceText, type Evidence, type Finding } from './finding.ts'
import type { HeaderChange } from './header-diff.ts'
import { redactUrl } from '../redact-headers.ts'

/** The JSON report CI pipelines read. */
export function toJsonReport(url: string, findings: readonly Finding[]): string {
  return JSON.stringify(
    {
      url: redactUrl(url),
      findings: findings.map(({ id, status, title, evidence, explanation, fixes, isIgnored }) => ({
        id,
        status,
        ...(isIgnored ? { ignored: true } : {}),
        title,
        evidence,
        explanation,
        fixes,
      })),
    },
    null,
    2,
  )
}

function evidenceLine(evidence: Evidence): string {
  return Object.entries(evidence)
    .map(([key, value]) => `${key}=${evidenceText(value, true)}`)
    .join(' ')
}

/**
 * Text for XML: markup characters as entities, and the characters XML 1.0 forbids even as entities (an
 * ESC in a body a server sent) written out as `\x1b`, so a CI system's JUnit parser still reads it.
 */
// eslint-disable-next-line no-control-regex -- the controls XML 1.0 forbids
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g
const escapeXml = (text: string) =>
  text
    .replace(XML_FORBIDDEN, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(
      /[<>&"']/g,
      (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
    )

/** What an ignored finding's line says of it (after its status). */
const IGNORED_MARK = '(ignored)'

/**
 * JUnit XML: one test case per check; fail is a failure, skip is skipped, warn passes with its note. An
 * ignored check is skipped, saying what it found. A test suite per endpoint (two with `--compare`).
 */
export function toJunitSuites(
  suites: readonly { url: string; findings: readonly Finding[] }[],
  durationMs: number,
): string {
  const isFailure = (f: Finding) => f.status === 'fail' && !f.isIgnored
  const isSkipped = (f: Finding) => f.status === 'skip' || (f.isIgnored === true && f.status !== 'pass')
  const counts = (findings: readonly Finding[]) =>
    `tests="${findings.length}" failures="${findings.filter(isFailure).length}" skipped="${findings.filter(isSkipped).length}" time="${(durationMs / 1000).toFixed(3)}"`
  const suiteXml = ({ url, findings }: (typeof suites)[number]) => {
    const cases = findings.map((f) => {
      const body =
        isSkipped(f) && f.status !== 'skip'
          ? `<skipped message="${escapeXml(`ignored (--ignore ${f.id}): ${f.status}: ${f.explanation}`)}"/>`
          : f.status === 'fail'
            ? `<failure message="${escapeXml(f.explanation)}">${escapeXml(`${evidenceLine(f.evidence)}\n${f.fixes.map((x) => `${x.target}: ${x.hint}`).join('\n')}`)}</failure>`
            : f.status === 'skip'
              ? `<skipped message="${escapeXml(f.explanation)}"/>`
              : `<system-out>${escapeXml(`${f.status}: ${f.explanation}\n${evidenceLine(f.evidence)}`)}</system-out>`
      return `    <testcase classname="sse-inspector.${escapeXml(redactUrl(url))}" name="${f.id}: ${escapeXml(f.title)}">${body}</testcase>`
    })
    return [
      `  <testsuite name="${escapeXml(redactUrl(url))}" ${counts(findings)}>`,
      ...cases,
      '  </testsuite>',
    ]
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="sse-inspector check" ${counts(suites.flatMap((suite) => suite.findings))}>`,
    ...suites.flatMap(suiteXml),
    '</testsuites>',
    '',
  ].join('\n')
}

const ICON = { pass: '✅', warn: '⚠️', fail: '❌', skip: '⏭️' } as const

/**
 * Text as Markdown shows it literally: what a server sent (a body, a header) must not become a link,
 * an image (fetched when a CI summary renders), HTML or a broken table.
 */
function markdownText(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/[\\`*_[\]<>!|#]/g, (char) => `\\${char}`)
}

/** A code span holding any text: a fence longer than its longest run of backticks (CommonMark). */
function codeSpan(text: string): string {
  const flat = text.replace(/\s+/g, ' ')
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longest + 1)
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${flat}${pad}${fence}`
}

/** A Markdown report (for PR comments and job summaries). */
export function toMarkdownReport(url: string, findings: readonly Finding[]): string {
  const rows = findings.map(
    (f) =>
      `| ${ICON[f.status]} ${f.status}${f.isIgnored ? ` ${IGNORED_MARK}` : ''} | \`${f.id}\` | ${markdownText(f.explanation)} |`,
  )
  const details = findings
    .filter((f) => f.status === 'fail' || f.status === 'warn')
    .map((f) => {
      const evidence = Object.entries(f.evidence).map(([k, v]) => `- ${k}: ${codeSpan(evidenceText(v))}`)
      const fixes = f.fixes.map(
        (x) =>
          `- **${x.target}**${x.seenAs ? ` (in the path: ${codeSpan(x.seenAs)})` : ''}: ${codeSpan(x.hint)}`,
      )
      return [
        `### ${ICON[f.status]} ${f.title} (\`${f.id}\`)${f.isIgnored ? ` ${IGNORED_MARK}` : ''}`,
        '',
        markdownText(f.explanation),
        '',
        '**Evidence**',
        ...evidence,
        ...(fixes.length ? ['', '**Fixes**', ...fixes] : []),
      ].join('\n')
    })
  return [
    `# SSE conformance: ${redactUrl(url)}`,
    '',
    '| status | check | finding |',
    '| --- | --- | --- |',
    ...rows,
    '',
    ...details,
    '',
  ].join('\n')
}

/** Plain text for a terminal: one line per check, then evidence and fixes for what needs attention. */
export function toTextReport(
  url: string,
  findings: readonly Finding[],
  paint: (code: string, text: string) => string,
): string {
  const colour = { pass: '32', warn: '33', fail: '31', skip: '2' } as const
  const lines = [`SSE conformance of ${redactUrl(url)}`, '']
  for (const f of findings)
    lines.push(
      `${paint(colour[f.status], f.status.toUpperCase().padEnd(5))} ${f.id.padEnd(15)} ${f.isIgnored ? `${IGNORED_MARK} ` : ''}${f.explanation}`,
    )
  for (const f of findings.filter((x) => x.status === 'fail' || x.status === 'warn')) {
    const title = `${f.id}: ${f.title}${f.isIgnored ? ` ${IGNORED_MARK}` : ''}`
    lines.push('', paint('1', title), `  evidence: ${evidenceLine(f.evidence)}`)
    for (const fix of f.fixes)
      lines.push(`  fix (${fix.target}${fix.seenAs ? `, in the path: ${fix.seenAs}` : ''}): ${fix.hint}`)
  }
  const count = (s: string) => findings.filter((f) => f.status === s).length
  const ignored = findings.filter((f) => f.isIgnored).length
  lines.push(
    '',
    `${count('pass')} pass, ${count('warn')} warn, ${count('fail')} fail, ${count('skip')} skip` +
      (ignored > 0 ? ` (${ignored} ignored)` : ''),
  )
  return lines.join('\n') + '\n'
}

/** Two endpoints side by side (origin vs through a proxy): where their verdicts differ, and why. */
export function toComparisonText(
  a: { url: string; findings: readonly Finding[] },
  b: { url: string; findings: readonly Finding[] },
  paint: (code: string, text: string) => string,
  headerChanges?: readonly HeaderChange[],
): string {
  const colour = { pass: '32', warn: '33', fail: '31', skip: '2' } as const
  const lines = [
    `A: ${redactUrl(a.url)}`,
    `B: ${redactUrl(b.url)}`,
    '',
    `${'check'.padEnd(15)} ${'A'.padEnd(5)} ${'B'.padEnd(5)}`,
  ]
  const differences: string[] = []
  for (const fa of a.findings) {
    const fb = b.findings.find((f) => f.id === fa.id)
    if (!fb) continue
    const mark = fa.status === fb.status ? '' : '  ← differs'
    lines.push(
      `${fa.id.padEnd(15)} ${paint(colour[fa.status], fa.status.padEnd(5))} ${paint(colour[fb.status], fb.status.padEnd(5))}${mark}`,
    )
    if (fa.status !== fb.status)
      differences.push(`${fa.id}:`, `  A: ${fa.explanation}`, `  B: ${fb.explanation}`)
  }
  if (differences.length) lines.push('', ...differences)
  if (headerChanges && headerChanges.length > 0) {
    lines.push('', 'response headers, A → B (date and other per-response headers left out):')
    for (const change of headerChanges) {
      const what = change.a === null ? 'added' : change.b === null ? 'removed' : 'changed'
      lines.push(`  ${what.padEnd(8)}${change.name}: ${change.a ?? '—'} → ${change.b ?? '—'}`)
    }
  }
  return lines.join('\n') + '\n'
}

/** A workflow command's message: GitHub reads %, CR and LF as escapes (and, in properties, : and ,). */
const githubEscape = (text: string, isProperty = false) => {
  const escaped = text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
  return isProperty ? escaped.replace(/:/g, '%3A').replace(/,/g, '%2C') : escaped
}

/**
 * GitHub Actions annotations (workflow commands): a failed check as an error, a warning as a warning,
 * an ignored one as a notice, each with its explanation and first fix; a summary line at the end.
 */
export function toGithubAnnotations(url: string, findings: readonly Finding[]): string {
  const lines: string[] = []
  for (const f of findings) {
    if (f.status !== 'fail' && f.status !== 'warn') continue
    const level = f.isIgnored ? 'notice' : f.status === 'fail' ? 'error' : 'warning'
    const title = githubEscape(`SSE check ${f.id}${f.isIgnored ? ' (ignored)' : ''}: ${f.title}`, true)
    const fix = f.fixes[0] ? `\nfix (${f.fixes[0].target}): ${f.fixes[0].hint}` : ''
    // The URL first: a workflow may check several endpoints (or one through a proxy, --compare).
    lines.push(`::${level} title=${title}::${githubEscape(`${redactUrl(url)}: ${f.explanation}${fix}`)}`)
  }
  const count = (s: string) => findings.filter((f) => f.status === s).length
  lines.push(
    `SSE conformance of ${redactUrl(url)}: ${count('pass')} pass, ${count('warn')} warn, ${count('fail')} fail, ${count('skip')} skip`,
  )
  return lines.join('\n') + '\n'
}
