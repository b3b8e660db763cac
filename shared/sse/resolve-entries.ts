/**
 * curl's `--resolve HOST:PORT:ADDRESS`: connect to ADDRESS whenever the URL names HOST:PORT, keeping
 * the name for the Host header, the TLS server name and the certificate check. Platform engineers use
 * it to reach one edge node or backend with the production hostname.
 */
export type ResolveEntry = { host: string; port: number; address: string }

/** One `HOST:PORT:ADDRESS` entry (an IPv6 address in brackets or bare), or throws with the reason. */
export function parseResolveEntry(entry: string): ResolveEntry {
  const match = /^([^:\s]+):(\d{1,5}):(\[[0-9a-fA-F:.]+\]|[0-9a-fA-F:.]+)$/.exec(entry.trim())
  const port = Number(match?.[2])
  if (!match || port < 1 || port > 65535) {
    throw new Error(
      `--resolve wants HOST:PORT:ADDRESS (e.g. api.example.com:443:10.0.0.5), got ${JSON.stringify(entry)}`,
    )
  }
  const address = match[3]!.replace(/^\[|\]$/g, '')
  if (!isIpAddress(address))
    throw new Error(`--resolve needs an IP address to connect to, got ${JSON.stringify(match[3])}`)
  return { host: match[1]!.toLowerCase(), port, address }
}

/** A lookup from "host:port" to the address to connect to. */
export function resolveMap(entries: readonly string[] | undefined): Map<string, string> {
  const map = new Map<string, string>()
  for (const entry of entries ?? []) {
    const { host, port, address } = parseResolveEntry(entry)
    map.set(`${host}:${port}`, address)
  }
  return map
}

function isIpAddress(text: string): boolean {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) return text.split('.').every((part) => Number(part) <= 255)
  return text.includes(':') && /^[0-9a-fA-F:.]+$/.test(text)
}
