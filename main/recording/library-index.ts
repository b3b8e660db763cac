import { randomBytes } from 'node:crypto'
import {
  closeSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { hostname, uptime } from 'node:os'
import type { RecordingSummary } from '../../shared/recording/library.ts'

/**
 * The process (and library instance in it) whose recorder is writing a recording, and what tells that
 * run of the process from a later one given the same pid: when the machine booted, and (Linux) when the
 * process started. Indexes of earlier versions have neither.
 */
export type RecorderOwner = {
  pid: number
  host: string
  instance: string
  bootedAtMs?: number
  started?: string
}

/**
 * One recording as library.json keeps it. Several processes may share a folder (the desktop app and
 * `npm run web` use the same default one), so each entry says who records it while it is live, and
 * when its figures and its user-edited fields last changed: each process merges the others' changes
 * field by field instead of writing over them.
 */
export type IndexEntry = Omit<RecordingSummary, 'sizeBytes'> & {
  file: string
  /** Set while a recorder writes it. */
  owner?: RecorderOwner
  /** When duration, events, bytes or outcome last changed (absent in indexes of earlier versions). */
  updatedAtMs?: number
  /** When name, notes or tags last changed. */
  editedAtMs?: number
}

/** Library instances of this process that are live (one per folder in the app; tests make several). */
const liveInstances = new Set<string>()

/** Registers a library instance of this process; its recordings are live while it runs. */
export function ownerFor(instance: string): RecorderOwner {
  liveInstances.add(instance)
  const started = processStartOf(process.pid)
  return {
    pid: process.pid,
    host: hostname(),
    instance,
    bootedAtMs: bootedAtMs(),
    ...(started === undefined ? {} : { started }),
  }
}

/** Boot times further apart than this are two boots: the clock is adjusted by seconds, not minutes. */
const BOOT_TOLERANCE_MS = 2 * 60_000

/** When this machine booted (wall clock). */
function bootedAtMs(): number {
  return Math.round(Date.now() - uptime() * 1000)
}

/**
 * When a process started, in clock ticks after boot (Linux's /proc/PID/stat, field 22); undefined
 * where there is no /proc or the process is gone.
 */
export function processStartOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command (field 2) is in parentheses and may hold spaces and ")": fields count from the last.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]
  } catch {
    return undefined
  }
}

/**
 * Whether the recorder that owns an entry still runs. On another host it cannot be told (a shared
 * network folder): taken as stopped, as before owners were kept. Its pid may have been given to
 * another process since (after a restart of the machine, or once pids wrap round: macOS's do at
 * 99 999): that is told by the boot time and, on Linux, the process's start; elsewhere a pid reused
 * without a restart reads as alive until that process ends.
 */
export function isOwnerAlive(owner: RecorderOwner | undefined): boolean {
  if (!owner || owner.host !== hostname()) return false
  if (owner.pid === process.pid) return liveInstances.has(owner.instance)
  if (owner.bootedAtMs !== undefined && Math.abs(bootedAtMs() - owner.bootedAtMs) > BOOT_TOLERANCE_MS)
    return false
  const started = owner.started === undefined ? undefined : processStartOf(owner.pid)
  if (started !== undefined && started !== owner.started) return false
  return isProcessAlive(owner.pid)
}

/** Whether a process of this host runs. */
function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0) // signal 0: only asks whether the process exists
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' // exists, another user's
  }
}

/** A file's text, if it is a regular file: reading a named pipe put there would wait for ever. */
function readRegularFile(file: string): string {
  if (!statSync(file).isFile()) throw new Error(`${file} is not a file`)
  return readFileSync(file, 'utf8')
}

/** The index's entries, or undefined when there is none or it is damaged. */
export function readIndex(file: string): IndexEntry[] | undefined {
  return readIndexWhole(file)?.entries
}

/** The index's entries and how many of its items are none (damaged, or another program's file). */
export function readIndexWhole(file: string): { entries: IndexEntry[]; skipped: number } | undefined {
  let saved: unknown
  try {
    saved = JSON.parse(readRegularFile(file))
  } catch {
    return undefined
  }
  if (!Array.isArray(saved)) return undefined
  const entries = saved.flatMap((value) => entryFrom(value) ?? [])
  return { entries, skipped: saved.length - entries.length }
}

/**
 * An index entry as read, each field of the type the app takes it for (an index edited by hand, or
 * damaged, must not break the Library); none without the id, file and URL that make it one.
 */
function entryFrom(value: unknown): IndexEntry | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const saved = value as Record<string, unknown>
  const text = (key: string) => (typeof saved[key] === 'string' ? saved[key] : undefined)
  const count = (key: string) =>
    typeof saved[key] === 'number' && Number.isFinite(saved[key]) && saved[key] >= 0 ? saved[key] : undefined
  const id = text('id')
  const file = text('file')
  const url = text('url')
  // A file is a recording's name in the folder, never a path: deleting the entry deletes the file.
  if (id === undefined || url === undefined || !file || !/^[^\\/]+\.sserec$/.test(file)) return undefined
  const method = text('method') ?? 'GET'
  const owner = saved.owner as Partial<RecorderOwner> | undefined
  return {
    id,
    file,
    url,
    method,
    name: text('name') ?? `${method} ${url}`,
    startedAtMs: count('startedAtMs') ?? 0,
    durationMs: count('durationMs') ?? 0,
    events: count('events') ?? 0,
    bytes: count('bytes') ?? 0,
    outcome: text('outcome') ?? 'unknown',
    notes: text('notes') ?? '',
    tags: Array.isArray(saved.tags) ? saved.tags.filter((tag) => typeof tag === 'string') : [],
    ...(typeof owner?.pid === 'number' && typeof owner.host === 'string' && typeof owner.instance === 'string'
      ? {
          owner: {
            pid: owner.pid,
            host: owner.host,
            instance: owner.instance,
            ...(typeof owner.bootedAtMs === 'number' ? { bootedAtMs: owner.bootedAtMs } : {}),
            ...(typeof owner.started === 'string' ? { started: owner.started } : {}),
          },
        }
      : {}),
    ...(count('updatedAtMs') !== undefined ? { updatedAtMs: count('updatedAtMs') } : {}),
    ...(count('editedAtMs') !== undefined ? { editedAtMs: count('editedAtMs') } : {}),
  }
}

/** Writes the index atomically (write, then rename over the old one). */
export function writeIndex(file: string, entries: readonly IndexEntry[]): void {
  // A temporary file of its own: another process may be writing the index too.
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
  try {
    writeFileSync(temporary, JSON.stringify(entries, null, 1))
  } catch (error) {
    rmSync(temporary, { force: true }) // a full disk left it empty or cut: the index stays as it was
    throw error
  }
  renameSync(temporary, file)
}

/** What tells one version of the index file from another without reading it. */
export function indexVersionOf(file: string): string | undefined {
  try {
    const { ino, size, mtimeMs } = statSync(file)
    return `${ino}:${size}:${mtimeMs}`
  } catch {
    return undefined
  }
}

/**
 * Takes into `mine` what another process changed in `theirs` (the same recording): its figures if
 * they are newer and `mine` is not recorded here, its name, notes and tags if they were edited later.
 */
export function mergeEntry(mine: IndexEntry, theirs: IndexEntry, isRecordedHere: boolean): void {
  if (!isRecordedHere && (theirs.updatedAtMs ?? 0) > (mine.updatedAtMs ?? 0)) {
    const { durationMs, events, bytes, outcome, startedAtMs, owner, updatedAtMs } = theirs
    Object.assign(mine, { durationMs, events, bytes, outcome, startedAtMs, updatedAtMs })
    if (owner) mine.owner = owner
    else delete mine.owner
  }
  if ((theirs.editedAtMs ?? 0) > (mine.editedAtMs ?? 0)) {
    const { name, notes, tags, editedAtMs } = theirs
    Object.assign(mine, { name, notes, tags, editedAtMs })
  }
}

/** How long a lock may stand before it is taken for one left by a process that died holding it. */
const STALE_LOCK_MS = 10_000
/** How long to wait for another process's lock before writing all the same. */
const LOCK_WAIT_MS = 3000
const pause = new Int32Array(new SharedArrayBuffer(4))

/** Whether the process that made a lock is gone (killed while holding it): its lock need not be waited out. */
function isHolderGone(lock: string): boolean {
  let holder: string
  try {
    holder = readRegularFile(lock)
  } catch {
    return false // released meanwhile: the next try takes it
  }
  const [pid, host] = holder.split(' ')
  // Just made and not yet written, or another host's: it counts as held.
  if (!pid || !/^\d+$/.test(pid) || host !== hostname()) return false
  // This process holds no lock while it waits for one: a lock of its pid was left by an earlier run.
  return Number(pid) === process.pid || !isProcessAlive(Number(pid))
}

/**
 * Runs `update` (read the index, take in the others' changes, write it) holding the index's lock
 * (a file made exclusively beside it): without it, two processes that read before either wrote lose
 * one's change. Held for milliseconds; waited for synchronously, as the update itself is.
 */
export function withIndexLock<T>(file: string, update: () => T): T {
  const lock = `${file}.lock`
  const deadline = Date.now() + LOCK_WAIT_MS
  let isHeld = false
  while (!isHeld) {
    try {
      const fd = openSync(lock, 'wx')
      writeSync(fd, `${process.pid} ${hostname()}`) // who holds it, for one who finds it left behind
      closeSync(fd)
      isHeld = true
    } catch (error) {
      // A folder that cannot take the lock (read-only…) cannot take the index either: update says why.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') break
      const heldSinceMs = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()
      if (Date.now() - heldSinceMs > STALE_LOCK_MS || isHolderGone(lock)) rmSync(lock, { force: true })
      else if (Date.now() > deadline)
        break // better a narrow race than a library that stops writing
      else Atomics.wait(pause, 0, 0, 2)
    }
  }
  try {
    return update()
  } finally {
    if (isHeld) rmSync(lock, { force: true })
  }
}
