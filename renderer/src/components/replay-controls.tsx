import type { ReplaySpeed } from '../../../shared/api.ts'
import { useApi } from '../api-context.ts'
import { useInspector } from '../store/inspector-store.ts'
import { showFailure } from '../show-failure.ts'

// Slow enough to watch a burst event by event, fast enough to skim hours of a stream.
const SPEEDS: ReplaySpeed[] = [0.1, 0.25, 0.5, 1, 2, 5, 10, 50, 100, 'instant']

/** Controls for a recording being replayed in the viewer: pause, resume, step, speed, seek. */
export function ReplayControls({ connectionId }: { connectionId: string }) {
  const api = useApi()
  const position = useInspector((s) => s.connections[connectionId]?.replay)
  if (!position) return null
  const control = (c: Parameters<typeof api.controlReplay>[1]) =>
    void api.controlReplay(connectionId, c).catch(showFailure)
  return (
    <div className="replay-controls" role="group" aria-label="Replay">
      {position.isPaused ? (
        <button
          type="button"
          className="ghost"
          onClick={() => control({ action: 'resume' })}
          disabled={position.isDone}
        >
          ▶ Resume
        </button>
      ) : (
        <button
          type="button"
          className="ghost"
          onClick={() => control({ action: 'pause' })}
          disabled={position.isDone}
        >
          ❚❚ Pause
        </button>
      )}
      <button
        type="button"
        className="ghost"
        onClick={() => control({ action: 'step' })}
        disabled={position.isDone}
      >
        Step
      </button>
      <select
        aria-label="Replay speed"
        value={String(position.speed)}
        onChange={(e) =>
          control({
            action: 'speed',
            speed: e.target.value === 'instant' ? 'instant' : Number(e.target.value),
          })
        }
      >
        {SPEEDS.map((speed) => (
          <option key={String(speed)} value={String(speed)}>
            {speed === 'instant' ? 'instant' : `${speed}×`}
          </option>
        ))}
      </select>
      <input
        type="range"
        aria-label="Replay position"
        min={0}
        max={Math.max(1, Math.round(position.durationMs))}
        value={Math.round(Math.min(position.offsetMs, position.durationMs))}
        onChange={(e) => control({ action: 'seek', offsetMs: Number(e.target.value) })}
      />
      <span className="muted">
        {(Math.min(position.offsetMs, position.durationMs) / 1000).toFixed(1)} /{' '}
        {(position.durationMs / 1000).toFixed(1)} s{position.isDone ? ' · done' : ''}
      </span>
    </div>
  )
}
