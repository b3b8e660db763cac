import { expect, test } from 'vitest'
import type { Push } from '../../../shared/api.ts'
import { packPushes, unpackPushes } from '../../../shared/wire-packing.ts'

test('wire packing: pushes round-trip exactly, in far fewer bytes', () => {
  const event = (seq: number, id?: string, lastEventId = id ?? '') => ({
    kind: 'event' as const,
    seq,
    atMs: 1795679201234.5 + seq,
    attempt: 0,
    type: 'message',
    data: `{"seq":${seq}}`,
    id,
    lastEventId,
    startByte: seq * 10,
    endByte: seq * 10 + 10,
    firstChunkSeq: 1,
    lastChunkSeq: 2,
  })
  const batch: Push[] = [
    { kind: 'state', connectionId: 'c', state: 'open' },
    {
      kind: 'records',
      connectionId: 'c',
      sentAtMs: 5,
      records: [
        { kind: 'chunk', seq: 1, atMs: 1.5, attempt: 0, startByte: 0, sizeBytes: 20 },
        event(2, '7'),
        event(3, undefined, '7'),
        event(4, '', ''),
        {
          kind: 'comment',
          seq: 5,
          atMs: 2,
          attempt: 0,
          text: 'hb',
          startByte: 0,
          endByte: 1,
          firstChunkSeq: 1,
          lastChunkSeq: 1,
        },
      ],
    },
  ]
  const text = packPushes(batch)
  expect(unpackPushes(text)).toEqual(
    batch.map((p) =>
      p.kind === 'records'
        ? {
            ...p,
            records: p.records.map((r) =>
              r.kind === 'event' && r.id === undefined ? { ...r, id: undefined } : r,
            ),
          }
        : p,
    ),
  )
  const many: Push[] = [
    {
      kind: 'records',
      connectionId: 'c',
      records: Array.from({ length: 1000 }, (_, i) => event(i, String(i))),
    },
  ]
  expect(packPushes(many).length).toBeLessThan(JSON.stringify(many).length / 2)
})
