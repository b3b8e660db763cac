import { randomUUID } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { redactUrl } from '../../shared/redact-headers.ts'
import type { RecordingEdit, RecordingSummary } from '../../shared/recording/library.ts'
import type { AnnotationRecord } from '../../shared/recording/recording-format.ts'
import type { StreamRecord } from '../../shared/sse/stream-records.ts'
import type { StreamRequest } from '../../shared/sse/stream-request.ts'
import { forEachInTurns } from '../runtime/in-turns.ts'
import { createRecorder, type Recorder } from './recorder.ts'
import { readRecordingFileLazily } from './recording-file.ts'
import { RecordingTally } from './recording-tally.ts'

/** The default library folder: $SSE_INSPECTOR_LIBRARY, else the platform's user data place. */
export function defaultLibraryDir(): string {
  if (process.env.SSE_INSPECTOR_LIBRARY) return process.env.SSE_INSPECTOR_LIBRARY
  if (process.platform === 'darwin')
    return join(homedir(), 'Library', 'Application Support', 'SSE Inspector', 'recordings')
  if (process.platform === 'win32')
    return join(process.env.APPDATA ?? homedir(), 'SSE Inspector', 'recordings')
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'sse-inspector', 'recordings')
}

type Entry = Omit<RecordingSummary, 'sizeBytes'> & { file: string }

/** The outcome of a recording whose recorder never finished it. */
const INTERRUPTED = 'interrupted: its recorder stopped (the app was closed or crashed)'

/** An entry for a recording file the index does not list (its figures counted later); none if it is no recording. */
function foundEntry(dir: string, file: string): Entry | undefined {
  let request: StreamRequest
  let createdAtMs: number
  try {
    ;({ request, createdAtMs } = readRecordingFileLazily(join(dir, file)).header)
  } catch {
    return undefined // not a recording (or unreadable): left alone
  }
  const url = redactUrl(request.url)
  const method = request.method ?? 'GET'
  return {
    id: randomUUID(),
    file,
    name: `${method} ${url}`,
    url,
    method,
    startedAtMs: createdAtMs,
    durationMs: 0,
    events: 0,
    bytes: 0,
    outcome: 'found in the library folder',
    notes: '',
    tags: ['found'],
  }
}

/**
 * The session library: recording files in one folder plus an index (library.json) of their names,
 * notes, tags and summary figures. The index is rewritten atomically (write then rename).
 */
export class SessionLibrary {
  readonly dir: string
  private readonly entries = new Map<string, Entry>()

  constructor(dir: string) {
    this.dir = dir
    mkdirSync(dir, { recursive: true })
    let saved: Entry[] = []
    try {
      saved = JSON.parse(readFileSync(this.indexFile, 'utf8')) as Entry[]
    } catch {
      // No index yet, or a damaged one: start empty; recordings stay on disk.
    }
    let isChanged = false
    const toCount: Entry[] = []
    for (const entry of saved) {
      if (!existsSync(join(dir, entry.file))) continue
      // Indexes written before URLs were redacted here kept their tokens: redact them now.
      const url = redactUrl(entry.url)
      if (url !== entry.url) {
        entry.name = entry.name.split(entry.url).join(url)
        entry.url = url
        isChanged = true
      }
      if (entry.outcome === 'recording') {
        // No recorder of this process writes it: the one that did was closed or crashed. The index
        // has only the figures from its start; the file has what it recorded.
        entry.outcome = INTERRUPTED
        toCount.push(entry)
        isChanged = true
      }
      this.entries.set(entry.id, entry)
    }
    // Recordings the index does not know (a damaged or lost index, files copied in) are listed too.
    const indexed = new Set(saved.map((entry) => entry.file))
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.sserec') || indexed.has(file)) continue
      const entry = foundEntry(dir, file)
      if (!entry) continue
      this.entries.set(entry.id, entry)
      toCount.push(entry)
      isChanged = true
    }
    if (isChanged) this.saveIfWritable()
    this.recovered = this.countInTurns(toCount)
  }

  /** Settles once the figures of interrupted and found recordings are counted from their files. */
  readonly recovered: Promise<void>

  /** Counts recordings' figures from their files, in turns with other work (a file may hold GBs). */
  private async countInTurns(entries: readonly Entry[]): Promise<void> {
    for (const entry of entries) {
      const tally = new RecordingTally()
      let failure: string | undefined
      try {
        await forEachInTurns(readRecordingFileLazily(join(this.dir, entry.file)).records, (record) =>
          tally.add(record),
        )
      } catch (error) {
        failure = `cannot be read: ${(error as Error).message}`
      }
      if (!this.entries.has(entry.id)) continue // deleted meanwhile
      const { lastCloseCause, ...figures } = tally.figures(entry.startedAtMs)
      Object.assign(entry, figures)
      // Without a final close its recorder stopped mid-stream (a found file as much as a listed one).
      entry.outcome = failure ?? lastCloseCause ?? INTERRUPTED
    }
    if (entries.length > 0) this.saveIfWritable()
  }

  private saveIfWritable(): void {
    try {
      this.save()
    } catch {
      // A read-only library: the list is redacted all the same; the old index stays as it was.
    }
  }

  private get indexFile(): string {
    return join(this.dir, 'library.json')
  }

  private save(): void {
    const temporary = `${this.indexFile}.tmp`
    try {
      writeFileSync(temporary, JSON.stringify([...this.entries.values()], null, 1))
    } catch (error) {
      rmSync(temporary, { force: true }) // a full disk left it empty or cut: the index stays as it was
      throw error
    }
    renameSync(temporary, this.indexFile)
  }

  /** Starts recording a connection; returns a recorder that keeps the summary up to date. */
  startRecording(
    id: string,
    request: StreamRequest,
    /** Hears that the recording stopped while the stream goes on (a full disk). */
    onFailure?: (message: string) => void,
  ): {
    write: (records: readonly (StreamRecord | AnnotationRecord)[]) => void
    finish: (outcome: string) => Promise<void>
  } {
    const startedAtMs = Date.now()
    const host = (() => {
      try {
        return new URL(request.url).host.replace(/[^\w.-]+/g, '_')
      } catch {
        return 'stream'
      }
    })()
    const file = `${new Date(startedAtMs).toISOString().replace(/[:.]/g, '-')}-${host}-${id.slice(0, 8)}.sserec`
    // The index is on disk and in the Library list: a token in the URL is redacted there too, as in the file.
    const url = redactUrl(request.url)
    const entry: Entry = {
      id,
      file,
      name: `${request.method ?? 'GET'} ${url}`,
      url,
      method: request.method ?? 'GET',
      startedAtMs,
      durationMs: 0,
      events: 0,
      bytes: 0,
      outcome: 'recording',
      notes: '',
      tags: [],
    }
    let hasFailed = false
    let recorder: Recorder
    try {
      this.entries.set(id, entry)
      this.save()
      recorder = createRecorder(join(this.dir, file), request, {
        onFailure: (message) => {
          // The Library says so at once, and counts no more than the file got.
          hasFailed = true
          entry.outcome = message
          entry.durationMs = Date.now() - startedAtMs
          this.saveIfWritable()
          onFailure?.(message)
        },
      })
    } catch (error) {
      // Not recorded at all (a read-only or full folder): no entry that says "recording" for ever.
      this.entries.delete(id)
      rmSync(join(this.dir, file), { force: true })
      this.saveIfWritable()
      throw error
    }
    return {
      write: (records) => {
        recorder.write(records)
        if (hasFailed) return
        for (const record of records) {
          if (record.kind === 'event') entry.events++
          else if (record.kind === 'chunk') entry.bytes += record.bytes.length
        }
      },
      finish: async (outcome) => {
        // The summary is right at once (the list may be read while the last bytes are written).
        if (!hasFailed) {
          entry.durationMs = Date.now() - startedAtMs
          entry.outcome = outcome
        }
        try {
          await recorder.close()
        } catch (error) {
          entry.outcome = (error as Error).message // the stream went on; the recording is cut short
        }
        // The folder may be gone or full by now: the list keeps the summary; the process must not end.
        this.saveIfWritable()
      },
    }
  }

  list(): RecordingSummary[] {
    return [...this.entries.values()]
      .map(({ file, ...summary }) => ({
        ...summary,
        // A live recording's duration so far (its end sets it for good).
        durationMs: summary.outcome === 'recording' ? Date.now() - summary.startedAtMs : summary.durationMs,
        sizeBytes: this.sizeOf(file),
      }))
      .sort((a, b) => b.startedAtMs - a.startedAtMs)
  }

  private sizeOf(file: string): number {
    try {
      return statSync(join(this.dir, file)).size
    } catch {
      return 0
    }
  }

  fileOf(id: string): string | undefined {
    const entry = this.entries.get(id)
    return entry ? join(this.dir, entry.file) : undefined
  }

  edit(id: string, edit: RecordingEdit): void {
    const entry = this.entries.get(id)
    if (!entry) return
    if (edit.name !== undefined) entry.name = edit.name
    if (edit.notes !== undefined) entry.notes = edit.notes
    if (edit.tags !== undefined) entry.tags = edit.tags
    this.save()
  }

  /** Adds a finished recording file (an import) with its summary; returns its id. */
  add(
    id: string,
    bytes: Uint8Array,
    summary: Omit<RecordingSummary, 'id' | 'sizeBytes' | 'notes' | 'tags'>,
  ): void {
    const file = `${new Date(summary.startedAtMs).toISOString().replace(/[:.]/g, '-')}-import-${id.slice(0, 8)}.sserec`
    writeFileSync(join(this.dir, file), bytes)
    this.entries.set(id, { ...summary, id, file, notes: '', tags: ['imported'] })
    this.save()
  }

  remove(id: string): void {
    const entry = this.entries.get(id)
    if (!entry) return
    this.entries.delete(id)
    rmSync(join(this.dir, entry.file), { force: true })
    this.save()
  }
}
