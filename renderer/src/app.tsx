/** The app's first screen. The inspector UI (request editor, event list) is built on this shell next. */
export function App() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: '2rem', colorScheme: 'light dark' }}>
      <h1>SSE Inspector</h1>
      <p>
        The desktop inspector is under construction. Today the engine is usable from the command line:{' '}
        <code>sse-inspector watch &lt;url&gt;</code> and <code>sse-inspector demo</code>.
      </p>
    </main>
  )
}
