import { readFileSync } from 'node:fs'
import type { ExportFormat } from '../../shared/api.ts'
import { fromHar, fromSseText, toHar, toNdjson, toSseBytes } from '../../shared/recording/export-formats.ts'
import {
  decodeRecording,
  encodeRecording,
  RECORDING_FORMAT,
  RECORDING_VERSION,
} from '../../shared/recording/recording-format.ts'
import type { RecordingSummary } from '../../shared/recording/library.ts'
import { chunksIn, eventsIn, readRecordingFile } from './recording-file.ts'

const EXPORTS: Record<ExportFormat, { extension: string; mimeType: string }> = {
  recording: { extension: 'sserec', mimeType: 'application/octet-stream' },
  har: { extension: 'har', mimeType: 'application/json' },
  ndjson: { extension: 'ndjson', mimeType: 'application/x-ndjson' },
  sse: { extension: 'sse', mimeType: 'text/event-stream' },
}

function appVersion(): string {
  return (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version
}

/** A library recording in one of the export formats, as bytes to save under `fileName`. */
export function exportRecordingFile(
  file: string,
  name: string,
  format: ExportFormat,
): { fileName: string; mimeType: string; bytes: Uint8Array } {
  const { extension, mimeType } = EXPORTS[format]
  const base = name.replace(/[^\w.-]+/g, '_').slice(0, 80) || 'recording'
  const fileName = `${base}.${extension}`
  if (format === 'recording') return { fileName, mimeType, bytes: new Uint8Array(readFileSync(file)) }
  const { records } = readRecordingFile(file)
  if (format === 'sse') return { fileName, mimeType, bytes: toSseBytes(records) }
  const text = format === 'har' ? JSON.stringify(toHar(records, appVersion()), null, 2) : toNdjson(records)
  return { fileName, mimeType, bytes: new TextEncoder().encode(text) }
}

/** Turns an imported file (a recording, a HAR, or raw SSE text) into recording bytes and a summary. */
export function importToRecording(
  fileName: string,
  bytes: Uint8Array,
): { bytes: Uint8Array; summary: Omit<RecordingSummary, 'id' | 'sizeBytes' | 'notes' | 'tags'> } {
  const head = new TextDecoder().decode(bytes.subarray(0, 200))
  let recording: Uint8Array
  if (head.includes(`"format":"${RECORDING_FORMAT}"`)) recording = bytes
  else {
    const session = /^\s*\{/.test(head)
      ? fromHar(JSON.parse(new TextDecoder().decode(bytes)) as unknown)
      : fromSseText(`file:///${encodeURIComponent(fileName)}`, bytes, Date.now())
    recording = encodeRecording(
      {
        format: RECORDING_FORMAT,
        version: RECORDING_VERSION,
        createdAtMs: Date.now(),
        request: session.request,
        meta: { importedFrom: fileName },
      },
      session.stored,
    )
  }
  const loaded = decodeRecording(recording)
  const records = loaded.records
  const first = records[0]?.atMs ?? Date.now()
  const last = records.at(-1)?.atMs ?? first
  const close = records.findLast((r) => r.kind === 'close')
  return {
    bytes: recording,
    summary: {
      name: fileName,
      url: loaded.header.request.url,
      method: loaded.header.request.method ?? 'GET',
      startedAtMs: first,
      durationMs: last - first,
      events: eventsIn(records).length,
      bytes: chunksIn(records).reduce((n, c) => n + c.bytes.length, 0),
      outcome: close && close.kind === 'close' ? close.cause : 'imported',
    },
  }
}
