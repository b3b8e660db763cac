import type { OpenRecord } from '../../../shared/sse/stream-records.ts'
import { formatStepMs, timingSteps } from '../../../shared/sse/timing-steps.ts'

const STEP_LABELS = {
  DNS: 'DNS lookup',
  connect: 'TCP connect',
  TLS: 'TLS handshake',
  wait: 'Waiting for the head',
}

/**
 * How long each step to the response head took, as a waterfall (each bar starts where the last ended):
 * a slow name server, handshake or server tells itself apart. Nothing when the transport did not say.
 */
export function TimingTable({ open }: { open: Pick<OpenRecord, 'timeToHeadersMs' | 'connectionSetup'> }) {
  const steps = timingSteps(open)
  if (!steps) return null
  const totalMs = Math.max(
    1e-6,
    steps.reduce((sum, step) => sum + step.ms, 0),
  )
  let startMs = 0
  return (
    <>
      <h3>Timing</h3>
      {open.connectionSetup?.isReused && (
        <p className="muted">On a connection kept alive from an earlier request: no DNS, connect or TLS.</p>
      )}
      <table className="histogram timing" aria-label="Timing">
        <tbody>
          {steps.map((step) => {
            const left = (startMs / totalMs) * 100
            startMs += step.ms
            return (
              <tr key={step.name}>
                <th>{STEP_LABELS[step.name]}</th>
                <td>
                  <span
                    className="bar"
                    style={{ marginLeft: `${left}%`, width: `max(2px, ${(step.ms / totalMs) * 100}%)` }}
                  />
                </td>
                <td>{formatStepMs(step.ms)}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </>
  )
}
