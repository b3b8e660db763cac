import { accessSync, constants, statSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import {
  toComparisonText,
  toGithubAnnotations,
  toJsonReport,
  toJunitSuites,
  toMarkdownReport,
  toTextReport,
} from '../../shared/checks/report-format.ts'
import { diffHeaders } from '../../shared/checks/header-diff.ts'
import { CHECK_ORDER, failsGate, type CheckId, type Finding } from '../../shared/checks/finding.ts'
import { redactUrl } from '../../shared/redact-headers.ts'
import { runChecks, type CheckReport } from '../checks/check-runner.ts'
import { secondsOption, REQUEST_OPTIONS, REQUEST_USAGE, requestFromValues } from './request-options.ts'
import { parseCommandArgs } from './command-args.ts'
import { progressLine } from './progress-line.ts'
import { UsageError } from './usage-error.ts'
import { terminalSafe, terminalSafeFinding } from './terminal-safe.ts'

export const CHECK_USAGE = `Usage: sse-inspector check <url> [options]

Checks an SSE endpoint (and the proxies in front of it): status, TLS certificate, Content-Type, caching
and compression headers, Content-Length, flushing, heartbeats, breaks mid-stream, ids, Last-Event-ID
resume, retry, line and field framing, CORS.

${REQUEST_USAGE}
Checks:
      --duration S           observe the stream for S seconds (default 6)
      --idle S               also keep one connection open S seconds to find idle timeouts
      --origin ORIGIN        send this Origin and check CORS for a page on it (an EventSource, or a fetch with its preflight)
      --compare URL          run the same checks on a second URL (e.g. through a proxy) side by side
      --fail-on LEVEL        what exits 1: fail (default) or warn (warnings fail the gate too)
      --ignore CHECK         leave a check out of the gate: still reported, marked (ignored)
                             (repeatable or comma-separated; CHECK as the report names it, e.g. ids)
Output (default: text):
      --json                 {"url", "findings": [{"id","status","title","evidence","explanation","fixes"}]}
                             ("ignored": true on a finding --ignore names)
      --junit FILE           also write a JUnit XML report to FILE
      --markdown             a Markdown report
      --github               GitHub Actions annotations (::error / ::warning per finding)

Ctrl-C stops early and reports on what was seen (a second Ctrl-C quits at once).
Exit status: 0 when no check fails, 1 when one fails (or warns, with --fail-on warn), 2 on bad usage
or an unreachable endpoint, 130 when stopped by Ctrl-C (after the report).`

/** The shell's status for a command ended by Ctrl-C (128 + SIGINT), as watch uses. */
const INTERRUPTED = 130

/** A report's findings as text may show them: what the server sent cannot steer the terminal. */
const safeFindings = (report: CheckReport) => report.findings.map(terminalSafeFinding)

/** Response header changes between two runs' first responses. */
function responseHeaderChanges(a: CheckReport, b: CheckReport) {
  const headersOf = (r: CheckReport) => r.run.records.find((x) => x.kind === 'open')?.headers ?? []
  return diffHeaders(headersOf(a), headersOf(b))
}

/**
 * Refuses a --junit file that cannot be written, before the checks run: a typo in a CI job's path
 * failed only after the whole run, and its report was not printed.
 */
function refuseUnwritable(file: string): void {
  const folder = dirname(resolve(file))
  try {
    if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw new Error('it is a folder')
    accessSync(folder, constants.W_OK)
  } catch (error) {
    throw new UsageError(`cannot write --junit file ${file}: ${(error as Error).message}`)
  }
}

/** `sse-inspector check`: a CI gate for an SSE endpoint. */
export async function checkCommand(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    ...REQUEST_OPTIONS,
    duration: { type: 'string' },
    idle: { type: 'string' },
    origin: { type: 'string' },
    compare: { type: 'string' },
    'fail-on': { type: 'string' },
    ignore: { type: 'string', multiple: true },
    json: { type: 'boolean' },
    junit: { type: 'string' },
    markdown: { type: 'boolean' },
    github: { type: 'boolean' },
  })
  const { values, positionals } = parsed
  if ([values.json, values.markdown, values.github].filter(Boolean).length > 1)
    throw new UsageError('use one of --json, --markdown and --github')
  const failOn = values['fail-on'] ?? 'fail'
  if (failOn !== 'fail' && failOn !== 'warn')
    throw new UsageError(`--fail-on takes fail or warn, got ${JSON.stringify(failOn)}`)
  const ignored = ignoredChecks(values.ignore ?? [])
  const isGateFailed = (findings: readonly Finding[]) => findings.some((f) => failsGate(f, failOn))
  const request = requestFromValues(values, positionals, 'check')
  const durationS = secondsOption(values.duration, '--duration') ?? 6
  const idleS = secondsOption(values.idle, '--idle')
  if (values.origin !== undefined && !/^https?:\/\/[^/\s]+$/.test(values.origin)) {
    throw new UsageError(
      `--origin needs a scheme and host like https://app.example.com, got ${JSON.stringify(values.origin)}`,
    )
  }
  const compareRequest =
    values.compare === undefined ? undefined : requestFromValues(values, [values.compare], 'check')
  if (values.junit !== undefined) refuseUnwritable(values.junit)
  // On a terminal each step shows with its elapsed time; in CI logs, nothing but the report.
  const progress = process.stderr.isTTY === true ? progressLine(process.stderr) : undefined
  const startedMs = performance.now()
  const stopper = new AbortController()
  const stop = () => {
    stopper.abort()
    progress?.end()
    process.stderr.write('… stopping: reporting on what was seen (Ctrl-C again to quit)\n')
  }
  process.once('SIGINT', stop) // once: a second Ctrl-C ends the process as usual
  const options = {
    durationMs: durationS * 1000,
    idleMs: idleS === undefined ? undefined : idleS * 1000,
    origin: values.origin,
    signal: stopper.signal,
    onProgress: (step: string) => progress?.step(step),
  }
  const hasColor = process.stdout.isTTY === true && !process.env.NO_COLOR
  const paint = hasColor
    ? (code: string, text: string) => `\x1b[${code}m${text}\x1b[0m`
    : (_code: string, text: string) => text
  const report = withIgnored(await runChecks(request, options), ignored)
  const other =
    compareRequest && !stopper.signal.aborted
      ? withIgnored(await runChecks(compareRequest, options), ignored)
      : undefined
  process.off('SIGINT', stop)
  progress?.end()
  if (values.junit !== undefined) {
    const suites = [report, ...(other ? [other] : [])]
    try {
      writeFileSync(values.junit, toJunitSuites(suites, performance.now() - startedMs))
    } catch (error) {
      process.stderr.write(`sse-inspector check: cannot write --junit file: ${(error as Error).message}\n`)
      return 2
    }
  }
  if (other) {
    const format = values.markdown ? 'markdown' : values.github ? 'github' : values.json ? 'json' : 'text'
    const status = writeComparison(report, other, format, paint, isGateFailed)
    return stopper.signal.aborted ? INTERRUPTED : status
  }
  if (values.json) process.stdout.write(toJsonReport(report.url, report.findings) + '\n')
  else if (values.markdown) process.stdout.write(toMarkdownReport(report.url, safeFindings(report)))
  else if (values.github) process.stdout.write(toGithubAnnotations(report.url, safeFindings(report)))
  else process.stdout.write(toTextReport(report.url, safeFindings(report), paint))
  if (!report.isReachable) {
    const reason = report.findings.find((f) => f.id === 'status')?.evidence.error
    process.stderr.write(
      `sse-inspector check: cannot reach ${redactUrl(report.url)}${reason ? `: ${String(reason)}` : ''}\n`,
    )
    return 2
  }
  if (stopper.signal.aborted) return INTERRUPTED
  return isGateFailed(report.findings) ? 1 : 0
}

/**
 * Both reports side by side (as text), as one JSON document, or one after the other (Markdown, GitHub
 * annotations); the exit status they call for.
 */
function writeComparison(
  report: CheckReport,
  other: CheckReport,
  format: 'text' | 'json' | 'markdown' | 'github',
  paint: (code: string, text: string) => string,
  isGateFailed: (findings: readonly Finding[]) => boolean,
): number {
  if (format === 'markdown' || format === 'github') {
    const write = format === 'markdown' ? toMarkdownReport : toGithubAnnotations
    for (const r of [report, other]) process.stdout.write(write(r.url, safeFindings(r)))
  } else if (format === 'json') {
    const json = (r: CheckReport) => JSON.parse(toJsonReport(r.url, r.findings)) as object
    const compare = { ...json(other), headerChanges: responseHeaderChanges(report, other) }
    process.stdout.write(JSON.stringify({ ...json(report), compare }, null, 2) + '\n')
  } else {
    const headerChanges = responseHeaderChanges(report, other).map((change) => ({
      name: terminalSafe(change.name),
      a: change.a === null ? null : terminalSafe(change.a),
      b: change.b === null ? null : terminalSafe(change.b),
    }))
    const safe = (r: CheckReport) => ({ url: r.url, findings: safeFindings(r) })
    process.stdout.write(toComparisonText(safe(report), safe(other), paint, headerChanges))
  }
  if (!report.isReachable || !other.isReachable) return 2
  return isGateFailed([...report.findings, ...other.findings]) ? 1 : 0
}

/** The check ids of `--ignore` values (repeated or comma-separated); a name that is no check is bad usage. */
function ignoredChecks(values: readonly string[]): Set<CheckId> {
  const ids = values.flatMap((value) => value.split(',')).map((id) => id.trim())
  for (const id of ids)
    if (!(CHECK_ORDER as readonly string[]).includes(id))
      throw new UsageError(
        `--ignore takes a check's id (${CHECK_ORDER.join(', ')}), got ${JSON.stringify(id)}`,
      )
  return new Set(ids as CheckId[])
}

/** The report with the findings of ignored checks marked so. */
function withIgnored(report: CheckReport, ignored: ReadonlySet<CheckId>): CheckReport {
  if (ignored.size === 0) return report
  const findings = report.findings.map((f) => (ignored.has(f.id) ? { ...f, isIgnored: true } : f))
  return { ...report, findings }
}
