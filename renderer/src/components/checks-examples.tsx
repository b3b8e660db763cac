import { useDemoServer } from './use-demo-server.ts'

/** A demo endpoint to run the checks on, and what they find there; `compare` runs a second one beside it. */
type CheckExample = { label: string; path: string; compare?: string }

const CHECK_EXAMPLES: CheckExample[] = [
  { label: 'Well-behaved ticker: everything passes', path: '/ticker?interval=200&heartbeat=1000' },
  { label: 'Buffered: events held back and sent in bursts', path: '/buffered?interval=100&flush=2000' },
  { label: 'Ignores Last-Event-ID: a resume restarts at id 1', path: '/no-resume?interval=200' },
  { label: 'Duplicates the last event on resume', path: '/duplicate-resume?interval=200' },
  { label: 'Wrong Content-Type: EventSource refuses it', path: '/wrong-content-type' },
  {
    label: 'Side by side: a ticker, and one that buffers',
    path: '/ticker?interval=100&heartbeat=1000',
    compare: '/buffered?interval=100&flush=2000',
  },
]

/**
 * Before the first run: what the checks find on demo streams that behave well and badly, one click each,
 * and how to measure a proxy.
 */
export function ChecksExamples({ onPick }: { onPick: (url: string, compareUrl?: string) => void }) {
  const { demo, failure } = useDemoServer()
  return (
    <section className="examples checks-examples" aria-label="Check examples">
      <h3>No checks run yet</h3>
      <p>
        Type the stream’s URL above (its method, headers and body come from Options) and press Run checks, or
        see what the checks find on a built-in demo stream:
      </p>
      {!demo && <p>{failure ?? 'Starting the demo server…'}</p>}
      {demo && (
        <ul>
          {CHECK_EXAMPLES.map(({ label, path, compare }) => (
            <li key={label}>
              <button
                type="button"
                onClick={() =>
                  onPick(demo.url + path, compare === undefined ? undefined : demo.url + compare)
                }
              >
                {label}
              </button>
              <code>{compare === undefined ? path.replace(/\?.*/, '') : 'compare'}</code>
            </li>
          ))}
        </ul>
      )}
      <p className="muted">
        To measure a proxy (nginx, HAProxy, a CDN), put it in front of the probe origin (
        <code>sse-inspector probe</code>, or this demo server’s <code>/probe</code>), check the proxy’s URL
        and give the probe’s own as Compare with URL: the delay the proxy adds to each event, what it buffers
        and its idle timeout are then measured, not guessed.
      </p>
    </section>
  )
}
