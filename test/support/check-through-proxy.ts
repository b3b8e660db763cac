import { afterEach } from 'vitest'
import { runChecks } from '../../main/checks/check-runner.ts'
import type { CheckId, Finding } from '../../shared/checks/finding.ts'
import type { StartedProxy } from './proxy-process.ts'

/**
 * Runs the checks through a real proxy (nginx, HAProxy) started for the test and stopped after it (each one a test starts):
 * `check(proxy, path)` checks `path` at the proxy's address, with each finding by its id.
 */
export function useCheckThroughProxy() {
  const stops: (() => Promise<void>)[] = []
  afterEach(async () => {
    await Promise.all(stops.splice(0).map((stop) => stop()))
  })
  return async (
    proxy: Promise<StartedProxy>,
    path: string,
    options: Parameters<typeof runChecks>[1] = {},
  ) => {
    const started = await proxy
    stops.push(started.stop)
    const report = await runChecks(
      { url: `${started.url}${path}` },
      { durationMs: 3000, resumeWaitMs: 2000, ...options },
    )
    return {
      report,
      byId: Object.fromEntries(report.findings.map((f) => [f.id, f])) as Record<CheckId, Finding>,
    }
  }
}
