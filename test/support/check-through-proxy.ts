import { afterEach } from 'vitest'
import { runChecks } from '../../main/checks/check-runner.ts'
import type { CheckId, Finding } from '../../shared/checks/finding.ts'
import type { StreamRequest } from '../../shared/sse/stream-request.ts'
import type { StartedProxy } from './proxy-process.ts'

/**
 * Runs the checks through a real proxy (nginx, HAProxy…) started for the test, and stops every proxy a
 * test started after it: `check(proxy, path, options, request)` checks `path` at the proxy's address
 * (the request's other parts as given), with each finding by its id.
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
    request: Omit<StreamRequest, 'url'> = {},
  ) => {
    const started = await proxy
    stops.push(started.stop)
    const report = await runChecks(
      { ...request, url: `${started.url}${path}` },
      { durationMs: 3000, resumeWaitMs: 2000, ...options },
    )
    return {
      report,
      byId: Object.fromEntries(report.findings.map((f) => [f.id, f])) as Record<CheckId, Finding>,
    }
  }
}
