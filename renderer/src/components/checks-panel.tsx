import { useEffect, useState } from 'react'
import { evidenceText, type Finding, type FindingStatus } from '../../../shared/checks/finding.ts'
import { diffHeaders } from '../../../shared/checks/header-diff.ts'
import { redactUrl } from '../../../shared/redact-headers.ts'
import { toJsonReport, toMarkdownReport } from '../../../shared/checks/report-format.ts'
import { useApi } from '../api-context.ts'
import { flushEarlyPushes } from '../backend-client.ts'
import { useInspector, type CheckRunView } from '../store/inspector-store.ts'
import { draftProblemText, EMPTY_DRAFT, toStreamRequest } from '../store/request-draft.ts'
import { MAX_SECONDS, numberProblem, type NumberRule } from '../number-field.ts'
import { NumberInput } from './number-input.tsx'
import { downloadFile } from '../download.ts'
import { plural } from '../../../shared/plural.ts'
import { showFailure } from '../show-failure.ts'
import { CopyButton } from './copy-button.tsx'
import { ChecksExamples } from './checks-examples.tsx'
import { toInspectorCommand } from '../../../shared/curl/inspector-command.ts'

// `count` words the summary badge: "1 warning", "2 warnings", "3 passed".
const GROUPS: { status: FindingStatus; label: string; count: (n: number) => string }[] = [
  { status: 'fail', label: 'Failed', count: (n) => `${n} failed` },
  { status: 'warn', label: 'Warnings', count: (n) => plural(n, 'warning') },
  { status: 'pass', label: 'Passed', count: (n) => `${n} passed` },
  { status: 'skip', label: 'Skipped', count: (n) => `${n} skipped` },
]

function FindingView({ finding }: { finding: Finding }) {
  const evidence = Object.entries(finding.evidence)
  return (
    <details
      className={`finding finding-${finding.status}`}
      open={finding.status === 'fail' || finding.status === 'warn'}
    >
      <summary>
        <span className={`badge badge-${finding.status}`}>{finding.status}</span> <b>{finding.title}</b>{' '}
        <code>{finding.id}</code>
      </summary>
      <p>{finding.explanation}</p>
      {evidence.length > 0 && (
        <table className="evidence" aria-label={`Evidence for ${finding.id}`}>
          <tbody>
            {evidence.map(([key, value]) => (
              <tr key={key}>
                <th>{key}</th>
                <td>{evidenceText(value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {finding.fixes.length > 0 && (
        <ul className="fixes">
          {finding.fixes.map((fix) => (
            <li key={fix.target}>
              <b>{fix.target}</b>
              {fix.seenAs && (
                <span className="seen-as" title="A response header names it in the path: its fix comes first">
                  {' '}
                  (in the path: <code>{fix.seenAs}</code>)
                </span>
              )}
              : <code>{fix.hint}</code>
            </li>
          ))}
        </ul>
      )}
    </details>
  )
}

/** Two runs side by side: the same checks on two URLs (origin and through a proxy). */
function Comparison({ a, b }: { a: CheckRunView; b: CheckRunView }) {
  const changes = diffHeaders(a.responseHeaders ?? [], b.responseHeaders ?? [])
  return (
    <table className="comparison" aria-label="Comparison">
      <thead>
        <tr>
          <th>check</th>
          <th>A: {redactUrl(a.request.url)}</th>
          <th>B: {redactUrl(b.request.url)}</th>
        </tr>
      </thead>
      <tbody>
        {a.findings!.map((fa) => {
          const fb = b.findings!.find((f) => f.id === fa.id)
          const differs = fb !== undefined && fb.status !== fa.status
          return (
            <tr key={fa.id} className={differs ? 'differs' : undefined}>
              <td className="check-id">
                <code>{fa.id}</code>
              </td>
              <td>
                <span className={`badge badge-${fa.status}`}>{fa.status}</span> {differs && fa.explanation}
              </td>
              <td>
                {fb && <span className={`badge badge-${fb.status}`}>{fb.status}</span>}{' '}
                {differs && fb.explanation}
              </td>
            </tr>
          )
        })}
      </tbody>
      {changes.length > 0 && (
        <tbody aria-label="Header changes">
          <tr>
            <th colSpan={3}>Response headers, A → B</th>
          </tr>
          {changes.map((change) => (
            <tr key={change.name} className="differs">
              <td>
                <code>{change.name}</code>
              </td>
              <td>{change.a ?? '—'}</td>
              <td>{change.b ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      )}
    </table>
  )
}

/** Seconds since a moment, ticking: how long a run has taken so far. */
function Elapsed({ sinceMs }: { sinceMs: number }) {
  const [nowMs, setNowMs] = useState(Date.now)
  useEffect(() => {
    const timer = setInterval(() => setNowMs(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [])
  return <span className="muted">{Math.max(0, Math.floor((nowMs - sinceMs) / 1000))} s</span>
}

type ChecksForm = { durationS: string; idleS: string; origin: string; compareUrl: string }

/** The form's number fields: how long to observe (as `check --duration`) and the idle watch. */
const DURATION_RULE: NumberRule = { min: 0.5, ...MAX_SECONDS }
const IDLE_RULE: NumberRule = { min: 1, ...MAX_SECONDS }

/** What the form asks of a run (an empty duration is the default, 6 s; wrong numbers are refused first). */
function checkOptionsOf(form: ChecksForm) {
  return {
    durationMs: (Number(form.durationS.trim()) || 6) * 1000,
    idleMs: form.idleS.trim() ? Number(form.idleS) * 1000 : undefined,
    origin: form.origin.trim() || undefined,
  }
}

/** The form's settings as `sse-inspector check` options (defaults left out), for a CI job. */
function checkArgs(form: ChecksForm): string[] {
  const { durationMs, idleMs, origin } = checkOptionsOf(form)
  const args: string[] = []
  if (durationMs !== 6000) args.push('--duration', String(durationMs / 1000))
  if (idleMs !== undefined) args.push('--idle', String(idleMs / 1000))
  if (origin) args.push('--origin', origin)
  if (form.compareUrl.trim()) args.push('--compare', redactUrl(form.compareUrl.trim()))
  return args
}

/** Conformance checks for the request in the editor: run with progress, results by status, export. */
export function ChecksPanel() {
  const api = useApi()
  const draft = useInspector((s) => s.draft)
  const run = useInspector((s) => (s.activeCheckRunId ? s.checkRuns[s.activeCheckRunId] : undefined))
  const [durationS, setDurationS] = useState('6')
  const [idleS, setIdleS] = useState('')
  const [origin, setOrigin] = useState('')
  const [compareUrl, setCompareUrl] = useState('')
  const compareRunId = useInspector((s) => s.compareCheckRunId)
  const compareRun = useInspector((s) => (compareRunId ? s.checkRuns[compareRunId] : undefined))

  const durationProblem = numberProblem(durationS, DURATION_RULE)
  const idleProblem = numberProblem(idleS, IDLE_RULE)

  /** Runs the checks on `target` (the editor's request), beside `compareWith` if given. */
  const start = async (target = draft, compareWith = compareUrl) => {
    const request = toStreamRequest(target)
    if (!request.url) return useInspector.getState().setError('Enter a URL to check.')
    // A value typed wrong is said, not swapped for the default ("6s" observed for 6 s, "abc" idled 1 s).
    const problems = [
      durationProblem && `Observe for: ${durationProblem}`,
      idleProblem && `Idle watch: ${idleProblem}`,
    ].filter(Boolean)
    const problem = problems.length > 0 ? `${problems.join('; ')}.` : draftProblemText(target)
    if (problem) return useInspector.getState().setError(problem)
    const options = checkOptionsOf({ durationS, idleS, origin, compareUrl: compareWith })
    const begin = async (checked: typeof request) => {
      const { runId } = await api.runChecks(checked, options)
      useInspector.setState((s) => ({
        checkRuns: {
          ...s.checkRuns,
          [runId]: {
            runId,
            request: checked,
            options,
            steps: [],
            status: 'running',
            startedAtMs: Date.now(),
          },
        },
      }))
      flushEarlyPushes(runId) // progress (or a quick failure) that overtook the answer
      return runId
    }
    try {
      const runId = await begin(request)
      useInspector.setState({ error: undefined, activeCheckRunId: runId, compareCheckRunId: undefined })
      if (compareWith.trim())
        useInspector.setState({ compareCheckRunId: await begin({ ...request, url: compareWith.trim() }) })
    } catch (error) {
      showFailure(error)
    }
  }

  return (
    <section className="checks" aria-label="Checks">
      <form
        className="checks-form"
        onSubmit={(e) => {
          e.preventDefault()
          void start()
        }}
      >
        <h2>Conformance checks</h2>
        <p className="muted">
          Checks{' '}
          <code className="checked-url" title={draft.url}>
            {draft.url || 'the URL above'}
          </code>
          : status, TLS certificate, Content-Type, caching and compression headers, Content-Length, flushing,
          heartbeats, breaks mid-stream, ids, Last-Event-ID resume, retry, line and field framing and CORS —
          each with its evidence and a fix.
        </p>
        <label>
          Observe for (s)
          <NumberInput
            label="Observe for seconds"
            value={durationS}
            problem={durationProblem}
            onChange={setDurationS}
          />
        </label>
        <label>
          Idle watch (s, optional)
          <NumberInput label="Idle watch seconds" value={idleS} problem={idleProblem} onChange={setIdleS} />
        </label>
        <label>
          Origin for CORS (optional)
          <input
            aria-label="Origin for CORS"
            placeholder="https://app.example.com"
            value={origin}
            onChange={(e) => setOrigin(e.target.value)}
          />
        </label>
        <label className="wide">
          Compare with URL (optional)
          <input
            aria-label="Compare with URL"
            placeholder="the same stream through a proxy"
            value={compareUrl}
            onChange={(e) => setCompareUrl(e.target.value)}
          />
        </label>
        <button type="submit" className="primary" disabled={run?.status === 'running'}>
          {run ? 'Run again' : 'Run checks'}
        </button>
        <CopyButton
          text={toInspectorCommand('check', toStreamRequest(draft), {
            extraArgs: checkArgs({ durationS, idleS, origin, compareUrl }),
          })}
          label="Copy as CLI"
        />
      </form>
      {!run && (
        <ChecksExamples
          onPick={(url, compare = '') => {
            const example = { ...EMPTY_DRAFT, url }
            useInspector.setState({ draft: example })
            setCompareUrl(compare)
            void start(example, compare)
          }}
        />
      )}
      {run?.status === 'running' && (
        <div className="progress">
          <span className="spinner" />
          <span aria-live="polite">{run.steps.at(-1) ?? 'starting'}…</span>
          <Elapsed sinceMs={run.startedAtMs} />
          <button
            type="button"
            className="ghost"
            title="End the run now and report on what it has seen (the probes not yet begun are skipped)"
            onClick={() => {
              void api.stopChecks(run.runId).catch(showFailure)
              if (compareRunId) void api.stopChecks(compareRunId).catch(showFailure)
            }}
          >
            Stop and report
          </button>
        </div>
      )}
      {run?.status === 'done' && run.isStoppedEarly && (
        <p className="muted" role="note">
          Stopped early: these findings cover what was seen until then.
        </p>
      )}
      {run?.status === 'error' && <p role="alert">The checks could not run: {run.error}</p>}
      {run?.status === 'done' && run.findings && compareRun?.status === 'done' && compareRun.findings && (
        <Comparison a={run} b={compareRun} />
      )}
      {run?.status === 'done' && run.findings && (
        <div className="results" aria-label="Check results">
          <div className="summary">
            {GROUPS.map(({ status, count }) => (
              <span key={status} className={`badge badge-${status}`}>
                {count(run.findings!.filter((f) => f.status === status).length)}
              </span>
            ))}
            <span className="spacer" />
            <button
              type="button"
              className="ghost"
              onClick={() =>
                downloadFile(
                  'sse-checks.md',
                  toMarkdownReport(run.request.url, run.findings!),
                  'text/markdown',
                )
              }
            >
              Export Markdown
            </button>
            <button
              type="button"
              className="ghost"
              onClick={() =>
                downloadFile(
                  'sse-checks.json',
                  toJsonReport(run.request.url, run.findings!),
                  'application/json',
                )
              }
            >
              Export JSON
            </button>
          </div>
          {GROUPS.map(({ status, label }) => {
            const group = run.findings!.filter((f) => f.status === status)
            if (group.length === 0) return null
            return (
              <section key={status} aria-label={label}>
                <h3>{label}</h3>
                {group.map((finding) => (
                  <FindingView key={finding.id} finding={finding} />
                ))}
              </section>
            )
          })}
        </div>
      )}
    </section>
  )
}
