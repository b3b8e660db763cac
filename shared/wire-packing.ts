import type { Push, WireRecord } from './api.ts'

/**
 * A compact JSON form for pushes over HTTP: events and chunks — nearly all of a stream — travel as
 * arrays instead of objects, so the field names are not repeated a million times (~2.5× fewer bytes
 * to send and parse). Other records pass as they are. IPC carries objects and needs none of this.
 */
type PackedEvent = [
  'e',
  number,
  number,
  number,
  string,
  string,
  string | null,
  string | 0,
  number,
  number,
  number,
  number,
]
type PackedChunk = ['c', number, number, number, number, number]
type Packed = PackedEvent | PackedChunk | Exclude<WireRecord, { kind: 'event' | 'chunk' }>

export function packRecord(record: WireRecord): Packed {
  if (record.kind === 'event') {
    const id = record.id ?? null
    return [
      'e',
      record.seq,
      record.atMs,
      record.attempt,
      record.type,
      record.data,
      id,
      record.lastEventId === id ? 0 : record.lastEventId,
      record.startByte,
      record.endByte,
      record.firstChunkSeq,
      record.lastChunkSeq,
    ]
  }
  if (record.kind === 'chunk')
    return ['c', record.seq, record.atMs, record.attempt, record.startByte, record.sizeBytes]
  return record
}

export function unpackRecord(packed: Packed): WireRecord {
  if (!Array.isArray(packed)) return packed
  if (packed[0] === 'c') {
    const [, seq, atMs, attempt, startByte, sizeBytes] = packed
    return { kind: 'chunk', seq, atMs, attempt, startByte, sizeBytes }
  }
  const [, seq, atMs, attempt, type, data, id, lastEventId, startByte, endByte, firstChunkSeq, lastChunkSeq] =
    packed
  return {
    kind: 'event',
    seq,
    atMs,
    attempt,
    type,
    data,
    id: id ?? undefined,
    lastEventId: lastEventId === 0 ? (id ?? '') : lastEventId,
    startByte,
    endByte,
    firstChunkSeq,
    lastChunkSeq,
  }
}

/** A batch of pushes as compact JSON text. */
export function packPushes(batch: readonly Push[]): string {
  return JSON.stringify(
    batch.map((push) =>
      push.kind === 'records' ? { ...push, records: push.records.map(packRecord) } : push,
    ),
  )
}

/** The batch back from its compact JSON text. */
export function unpackPushes(text: string): Push[] {
  const batch = JSON.parse(text) as (
    Push | (Omit<Extract<Push, { kind: 'records' }>, 'records'> & { records: Packed[] })
  )[]
  return batch.map((push) =>
    push.kind === 'records' ? { ...push, records: (push.records as Packed[]).map(unpackRecord) } : push,
  ) as Push[]
}
