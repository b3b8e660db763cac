import { randomUUID } from 'node:crypto'
import { copyFileSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { redactUrl } from '../../shared/redact-headers.ts'
import type { RecordingEdit, RecordingSummary } from '../../shared/recording/library.ts'
import type { AnnotationRecord } from '../../shared/recording/recording-format.ts'
import type { StreamRecord } from '../../shared/sse/stream-records.ts'
import type { StreamRequest } from '../../shared/sse/stream-request.ts'
import { InvalidInputError } from '../../shared/api-validation.ts'
import { forEachInTurns } from '../runtime/in-turns.ts'
import { makeFolder } from '../runtime/make-folder.ts'
import {
  indexVersionOf,
  isOwnerAlive,
  mergeEntry,
  ownerFor,
  readIndex,
  readIndexWhole,
  withIndexLock,
  writeIndex,
  type IndexEntry,
} from './library-index.ts'
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

type Entry = IndexEntry

/** The outcome of a recording whose recorder never finished it. */
const INTERRUPTED = 'interrupted: its recorder stopped (the app was closed or crashed)'

/** How often a live recording's figures reach the index, for other processes sharing the folder. */
const LIVE_SAVE_MS = 2000

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

/** A new recording's entry before its figures: named after its request (URL tokens redacted), no tags. */
function newEntry(id: string, file: string, request: StreamRequest, startedAtMs: number): Entry {
  const url = redactUrl(request.url)
  const method = request.method ?? 'GET'
  return {
    id,
    file,
    name: `${method} ${url}`,
    url,
    method,
    startedAtMs,
    durationMs: 0,
    events: 0,
    bytes: 0,
    outcome: 'recording',
    notes: '',
    tags: [],
    updatedAtMs: startedAtMs,
    editedAtMs: startedAtMs,
  }
}

/** Copies a file that cannot be read whole beside itself (…-unreadable-<time>); never throws. */
function keepAside(file: string): void {
  try {
    copyFileSync(file, `${file}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`)
  } catch {
    // A read-only folder: nothing is written over it either.
  }
}

/**
 * The session library: recording files in one folder plus an index (library.json) of their names,
 * notes, tags and summary figures. The index is rewritten atomically (write then rename). Other
 * processes may use the same folder: each write first takes in what they changed (library-index.ts),
 * and a listing reads the index again when it changed.
 */
/** A recording being made of a live connection. */
export type LiveRecording = {
  /** Where it is written (its folder stays when the Library moves to another). */
  file: string
  write: (records: readonly (StreamRecord | AnnotationRecord)[]) => void
  /** Puts what was written so far in the file. */
  flush: () => Promise<void>
  finish: (outcome: string) => Promise<void>
}

export class SessionLibrary {
  readonly dir: string
  private readonly entries = new Map<string, Entry>()
  private readonly owner = ownerFor(randomUUID())
  /** The version of library.json last read or written here. */
  private seenIndex: string | undefined
  private counting: Promise<void> = Promise.resolve()
  /** Live recordings whose figures changed since the index was written, with their start. */
  private readonly liveFigures = new Map<Entry, number>()
  private liveSave: NodeJS.Timeout | undefined
  /** Entries whose figures are being counted from their files. */
  private readonly uncounted = new Set<Entry>()

  constructor(
    dir: string,
    options: {
      /**
       * Whether it lists recordings the index does not know and takes stopped recorders' ones for
       * interrupted, counting them from their files (the app); `record --in-library` only adds its own.
       */
      isLookingAfterOthers?: boolean
    } = {},
  ) {
    this.dir = dir
    makeFolder(dir)
    // No index yet, or a damaged one: start empty; recordings stay on disk (and are listed as found).
    const read = readIndexWhole(this.indexFile)
    // One that cannot be read, or only in part (damaged, or another program's library.json in a folder
    // chosen for recordings), is kept aside before it is written over: it may be what is left of
    // names and notes, or someone else's data.
    if (
      (read === undefined || read.skipped > 0) &&
      statSync(this.indexFile, { throwIfNoEntry: false })?.isFile()
    )
      keepAside(this.indexFile)
    const saved = read?.entries ?? []
    this.seenIndex = indexVersionOf(this.indexFile)
    let isChanged = false
    for (const entry of saved) {
      if (!this.isPresent(entry)) continue
      // Indexes written before URLs were redacted here kept their tokens: redact them now.
      const url = redactUrl(entry.url)
      if (url !== entry.url) {
        entry.name = entry.name.split(entry.url).join(url)
        entry.url = url
        isChanged = true
      }
      this.entries.set(entry.id, entry)
    }
    if (options.isLookingAfterOthers === false) return
    // Recordings the index does not know (a damaged or lost index, files copied in) are listed too.
    const indexed = new Set(saved.map((entry) => entry.file))
    const found: Entry[] = []
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.sserec') || indexed.has(file)) continue
      const entry = foundEntry(dir, file)
      if (!entry) continue
      this.entries.set(entry.id, entry)
      found.push(entry)
      isChanged = true
    }
    if (this.takeStopped(found) || isChanged) this.saveIfWritable()
  }

  /** Settles once the figures of interrupted and found recordings are counted from their files. */
  get recovered(): Promise<void> {
    return this.counting
  }

  /** Whether an entry's recording is still there: its file, or a live recorder about to make it. */
  private isPresent(entry: Entry): boolean {
    return (
      existsSync(join(this.dir, entry.file)) || (entry.outcome === 'recording' && isOwnerAlive(entry.owner))
    )
  }

  private isRecordedHere(entry: Entry): boolean {
    return entry.owner?.instance === this.owner.instance
  }

  /**
   * Takes the recordings whose recorder stopped without finishing them (a process closed or crashed)
   * for interrupted, and counts their figures, and those of `more`, from their files; says whether any.
   */
  private takeStopped(more: readonly Entry[] = []): boolean {
    const stopped = [...this.entries.values()].filter(
      (entry) => entry.outcome === 'recording' && !isOwnerAlive(entry.owner),
    )
    for (const entry of stopped) {
      // The index has only the figures of its last save; the file has what it recorded.
      entry.outcome = INTERRUPTED
      entry.updatedAtMs = Date.now()
      delete entry.owner
    }
    const toCount = [...stopped, ...more]
    for (const entry of toCount) this.uncounted.add(entry)
    if (toCount.length > 0) this.counting = this.counting.then(() => this.countInTurns(toCount))
    return stopped.length > 0
  }

  /** Counts recordings' figures from their files, in turns with other work (a file may hold GBs). */
  private async countInTurns(entries: readonly Entry[], withoutClose = INTERRUPTED): Promise<void> {
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
      this.uncounted.delete(entry)
      if (this.entries.get(entry.id) !== entry) continue // deleted meanwhile (or another process counted it)
      const { lastCloseCause, ...figures } = tally.figures(entry.startedAtMs)
      Object.assign(entry, figures)
      // Without a final close its recorder stopped mid-stream (a found file as much as a listed one);
      // an import says what it is.
      entry.outcome = failure ?? lastCloseCause ?? withoutClose
      entry.updatedAtMs = Date.now()
    }
    if (entries.length > 0) this.saveIfWritable()
  }

  /**
   * Writes live recordings' figures to the index, for other processes sharing the folder: at most
   * once per LIVE_SAVE_MS, whatever the number of recordings.
   */
  private saveLiveFigures(): void {
    this.liveSave = undefined
    const nowMs = Date.now()
    for (const [entry, startedAtMs] of this.liveFigures) {
      if (entry.outcome !== 'recording') continue // finished or failed meanwhile: saved then
      entry.durationMs = nowMs - startedAtMs
      entry.updatedAtMs = nowMs
    }
    this.liveFigures.clear()
    this.saveIfWritable()
  }

  /** Takes in what other processes changed in the index since it was last read or written here. */
  private takeIndex(saved: readonly Entry[]): void {
    const byFile = new Map([...this.entries.values()].map((entry) => [entry.file, entry]))
    const savedIds = new Set<string>()
    for (const theirs of saved) {
      savedIds.add(theirs.id)
      const mine = this.entries.get(theirs.id)
      if (!mine && this.isRecordedHere(theirs)) continue // recorded here and deleted since
      if (!this.isPresent(theirs)) {
        // Deleted by another process (its file is gone).
        if (mine && !this.isRecordedHere(mine)) this.entries.delete(theirs.id)
        continue
      }
      if (mine) {
        mergeEntry(mine, theirs, this.isRecordedHere(mine))
        continue
      }
      // New here. The same file found by two processes at once: the index's entry is kept.
      const twin = byFile.get(theirs.file)
      if (twin) this.entries.delete(twin.id)
      this.entries.set(theirs.id, theirs)
    }
    // Entries missing from the index: new here (kept), or deleted by another process (their file is gone).
    for (const entry of [...this.entries.values()])
      if (!savedIds.has(entry.id) && !this.isRecordedHere(entry) && !this.isPresent(entry))
        this.entries.delete(entry.id)
  }

  /** Reads the index again if another process wrote it; takes stopped recorders' recordings for interrupted. */
  private refresh(): void {
    const version = indexVersionOf(this.indexFile)
    if (version !== this.seenIndex) {
      this.seenIndex = version
      const saved = readIndex(this.indexFile)
      if (saved) this.takeIndex(saved)
    }
    if (this.takeStopped()) this.saveIfWritable()
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
    // What another process wrote since is kept: read, merged and written under the index's lock.
    withIndexLock(this.indexFile, () => {
      if (indexVersionOf(this.indexFile) !== this.seenIndex) {
        const saved = readIndex(this.indexFile)
        if (saved) this.takeIndex(saved)
      }
      writeIndex(this.indexFile, [...this.entries.values()])
      this.seenIndex = indexVersionOf(this.indexFile)
    })
  }

  /** Starts recording a connection; returns a recorder that keeps the summary up to date. */
  startRecording(
    id: string,
    request: StreamRequest,
    /** Hears that the recording stopped while the stream goes on (a full disk). */
    onFailure?: (message: string, reason: string) => void,
    /** Its name in the list (default: method and URL). */
    name?: string,
  ): LiveRecording {
    const startedAtMs = Date.now()
    const host = (() => {
      try {
        return new URL(request.url).host.replace(/[^\w.-]+/g, '_')
      } catch {
        return 'stream'
      }
    })()
    const file = `${new Date(startedAtMs).toISOString().replace(/[:.]/g, '-')}-${host}-${id.slice(0, 8)}.sserec`
    // The index is on disk and in the Library list: a token in the URL is redacted there too (newEntry).
    const fresh = newEntry(id, file, request, startedAtMs)
    const entry: Entry = { ...fresh, name: name ?? fresh.name, owner: this.owner }
    let hasFailed = false
    let recorder: Recorder
    try {
      this.entries.set(id, entry)
      this.save()
      recorder = createRecorder(join(this.dir, file), request, {
        onFailure: (message, reason) => {
          // The Library says so at once, and counts no more than the file got.
          hasFailed = true
          entry.outcome = message
          entry.durationMs = Date.now() - startedAtMs
          entry.updatedAtMs = Date.now()
          delete entry.owner
          this.saveIfWritable()
          onFailure?.(message, reason)
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
      file: join(this.dir, file),
      flush: () => recorder.flush(),
      write: (records) => {
        recorder.write(records)
        if (hasFailed) return
        for (const record of records) {
          if (record.kind === 'event') entry.events++
          else if (record.kind === 'chunk') entry.bytes += record.bytes.length
        }
        this.liveFigures.set(entry, startedAtMs)
        this.liveSave ??= setTimeout(() => this.saveLiveFigures(), LIVE_SAVE_MS).unref()
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
        entry.updatedAtMs = Date.now()
        delete entry.owner
        // The folder may be gone or full by now: the list keeps the summary; the process must not end.
        this.saveIfWritable()
      },
    }
  }

  list(): RecordingSummary[] {
    this.refresh()
    return [...this.entries.values()]
      .map((entry) => {
        const { file, owner: _owner, updatedAtMs: _updated, editedAtMs: _edited, ...summary } = entry
        return {
          ...summary,
          ...(this.uncounted.has(entry) ? { isCounting: true as const } : {}),
          ...(entry.outcome === 'recording' && entry.owner && !this.isRecordedHere(entry)
            ? { recorderPid: entry.owner.pid }
            : {}),
          // A live recording's duration so far (its end sets it for good).
          durationMs: summary.outcome === 'recording' ? Date.now() - summary.startedAtMs : summary.durationMs,
          sizeBytes: this.sizeOf(file),
        }
      })
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
    entry.editedAtMs = Date.now()
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
    const nowMs = Date.now()
    this.entries.set(id, {
      ...summary,
      id,
      file,
      notes: '',
      tags: ['imported'],
      updatedAtMs: nowMs,
      editedAtMs: nowMs,
    })
    this.save()
  }

  /**
   * Adds a recording that `write` makes in the folder (an import of any size, written as it is read),
   * and settles once its figures are counted from the file, in turns (the list says "counting…").
   */
  async addWritten(id: string, name: string, write: (file: string) => Promise<void>): Promise<void> {
    const startedAtMs = Date.now()
    const file = `${new Date(startedAtMs).toISOString().replace(/[:.]/g, '-')}-import-${id.slice(0, 8)}.sserec`
    await write(join(this.dir, file))
    const { request } = readRecordingFileLazily(join(this.dir, file)).header
    const entry: Entry = {
      ...newEntry(id, file, request, startedAtMs),
      name,
      outcome: 'imported',
      tags: ['imported'],
    }
    this.entries.set(id, entry)
    this.save()
    this.uncounted.add(entry)
    this.counting = this.counting.then(() => this.countInTurns([entry], 'imported'))
    await this.counting
  }

  remove(id: string): void {
    const entry = this.entries.get(id)
    if (!entry) return
    const { owner } = entry
    if (entry.outcome === 'recording' && !this.isRecordedHere(entry) && isOwnerAlive(owner))
      throw new InvalidInputError(
        `"${entry.name}" is being recorded by another SSE Inspector (process ${owner?.pid}): stop it there, then delete it`,
      )
    rmSync(join(this.dir, entry.file), { force: true })
    this.entries.delete(id)
    this.save()
  }
}
