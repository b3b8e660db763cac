import { openStream, type StreamOutcome } from '../../shared/sse/open-stream.ts'
import type { EventRecord, StreamRecord } from '../../shared/sse/stream-records.ts'
import type { StreamRequest } from '../../shared/sse/stream-request.ts'
import { nodeStreamDeps } from '../../main/net/node-stream-deps.ts'

export type Collected = { records: StreamRecord[]; events: EventRecord[]; outcome: StreamOutcome }

/** Runs a stream through the real Node transport to its end (or `closeAfterMs`), collecting every record. */
export async function collectStream(request: StreamRequest, closeAfterMs = 10_000): Promise<Collected> {
  const { deps, close } = nodeStreamDeps(request.transport)
  const records: StreamRecord[] = []
  const stream = openStream(request, deps, (batch) => void records.push(...batch))
  const timer = setTimeout(() => stream.close(), closeAfterMs)
  try {
    const outcome = await stream.done
    return { records, events: records.filter((r): r is EventRecord => r.kind === 'event'), outcome }
  } finally {
    clearTimeout(timer)
    await close()
  }
}

/** The records of one kind. */
export function ofKind<K extends StreamRecord['kind']>(
  records: StreamRecord[],
  kind: K,
): Extract<StreamRecord, { kind: K }>[] {
  return records.filter((r): r is Extract<StreamRecord, { kind: K }> => r.kind === kind)
}
