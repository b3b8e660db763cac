/**
 * A URL as a person types it, with `http://` put in front when it names no scheme — "localhost:8787/x",
 * "127.0.0.1:3128", "example.com/events" — as curl and browsers' address bars read it. A real scheme
 * ("file:", "ws://") is left for the caller to refuse by name; "host:8787" is a port, not a scheme.
 */
export function withDefaultScheme(raw: string): string {
  const text = raw.trim()
  if (text === '' || /^[a-z][a-z0-9+.-]*:(?!\d)/i.test(text)) return text
  return `http://${text}`
}
