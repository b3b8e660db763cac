import { createWriteStream, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { ImportedSession } from '../../shared/recording/export-formats.ts'
import {
  RECORDING_FORMAT,
  RECORDING_VERSION,
  RecordingError,
} from '../../shared/recording/recording-format.ts'
import { exportParts, importedSession, writeParts } from '../recording/library-files.ts'
import { FileWindow } from '../recording/file-window.ts'
import { readRecordingFileLazily, writeRecordingFile } from '../recording/recording-file.ts'
import { parseCommandArgs } from './command-args.ts'
import { refuseOverwrite, refuseSameFile, refuseStdoutRecording } from './recording-output.ts'
import { drainedOrClosed } from '../runtime/drained.ts'
import { UsageError } from './usage-error.ts'

export const EXPORT_USAGE = `Usage: sse-inspector export FILE --format har|ndjson|sse -o OUT [--keep-secrets] [--force]

  har     HAR 1.2, events in _eventSourceMessages (as Chrome writes them), the request body as postData
  ndjson  one event per line, as "watch --json" prints them
  sse     the raw bytes of the stream, as "curl -N" prints them

  -o, --output OUT    the file to write; - writes to standard output (| jq, | less)
      --keep-secrets  keep Authorization, cookies and tokens in a HAR (a recording made with
                      --keep-secrets has them; they are redacted otherwise)
      --force         replace OUT if it exists (it is kept otherwise)`

export const IMPORT_USAGE = `Usage: sse-inspector import FILE -o OUT [--url URL] [--keep-secrets] [-f]

Makes a recording from a HAR file with _eventSourceMessages (or an event-stream body), or from raw
SSE text captured with "curl -N" (with -i, its response heads give the status, headers and
redirects; --url names where it came from). Anything else is refused. FILE - reads standard input:
curl -sN URL | sse-inspector import - -o capture.rec
Authorization, cookies and tokens (a browser's HAR has them) are redacted unless --keep-secrets.

      --keep-secrets  keep them in the recording
  -f, --force         replace OUT if it exists (an earlier recording is kept otherwise)`

/** `sse-inspector export`. */
export async function exportCommand(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    format: { type: 'string', short: 'f' },
    output: { type: 'string', short: 'o' },
    'keep-secrets': { type: 'boolean' },
    force: { type: 'boolean' },
  })
  const { values, positionals } = parsed
  if (positionals.length !== 1) throw new UsageError('export needs one recording FILE')
  if (!values.output) throw new UsageError('export needs -o OUT')
  const format = values.format
  if (format !== 'har' && format !== 'ndjson' && format !== 'sse')
    throw new UsageError('--format must be har, ndjson or sse')
  const isToStdout = values.output === '-'
  if (!isToStdout) {
    refuseSameFile(positionals[0]!, values.output)
    refuseOverwrite(values.output, values.force === true)
  }
  let recording
  try {
    recording = readRecordingFileLazily(positionals[0]!) // any length: events are framed as they are written
  } catch (error) {
    if (!(error instanceof RecordingError)) throw error
    process.stderr.write(`sse-inspector export: ${error.message}\n`)
    return 1
  }
  const parts = exportParts(recording, format, { isKeepingSecrets: values['keep-secrets'] === true })
  const code = isToStdout
    ? await written('export', 'standard output', () => writePartsToStdout(parts))
    : await written('export', values.output, () => writeParts(values.output!, parts))
  // Damage is found as the file is read: told once the reading is over.
  for (const problem of recording.problems)
    process.stderr.write(`sse-inspector export: warning: ${problem}\n`)
  return code
}

/** Writes the parts to stdout as fast as it takes them (a reader that stops, `| head`, ends the process quietly: main.ts). */
async function writePartsToStdout(parts: Iterable<Uint8Array>): Promise<void> {
  for (const part of parts) if (!process.stdout.write(part)) await drainedOrClosed(process.stdout)
}

/** Runs `write`; a file that cannot be written is named, with the reason (exit 1). */
async function written(command: string, file: string, write: () => void | Promise<void>): Promise<number> {
  try {
    await write()
    return 0
  } catch (error) {
    // A recording too long for a HAR says so; anything else is about the file written.
    const message =
      error instanceof RecordingError ? error.message : `cannot write ${file}: ${(error as Error).message}`
    process.stderr.write(`sse-inspector ${command}: ${message}\n`)
    return 1
  }
}

/** Writes an imported session as a recording file. */
function writeRecording(file: string, session: ImportedSession): Promise<void> {
  return writeRecordingFile(
    file,
    {
      format: RECORDING_FORMAT,
      version: RECORDING_VERSION,
      createdAtMs: Date.now(),
      request: session.request,
      meta: { importedBy: 'sse-inspector' },
    },
    session.stored,
  )
}

/** `sse-inspector import`. */
export async function importCommand(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    output: { type: 'string', short: 'o' },
    url: { type: 'string' },
    'keep-secrets': { type: 'boolean' },
    force: { type: 'boolean', short: 'f' },
  })
  const { values, positionals } = parsed
  if (positionals.length !== 1) throw new UsageError('import needs one FILE')
  if (!values.output) throw new UsageError('import needs -o OUT')
  const isFromStdin = positionals[0] === '-'
  if (isFromStdin && process.stdin.isTTY)
    throw new UsageError(
      'import - reads standard input: pipe a capture into it (curl -N URL | sse-inspector import - -o x.rec)',
    )
  refuseStdoutRecording(values.output)
  if (!isFromStdin) refuseSameFile(positionals[0]!, values.output)
  refuseOverwrite(values.output, values.force === true)
  // Standard input is copied to a file first: a capture is read a window at a time, and twice (HAR or text).
  const stdinCopy = isFromStdin ? mkdtempSync(join(tmpdir(), 'sse-inspector-import-')) : undefined
  try {
    const source = stdinCopy ? join(stdinCopy, 'stdin') : positionals[0]!
    if (stdinCopy) await pipeline(process.stdin, createWriteStream(source))
    return await importFile(isFromStdin ? 'stdin' : source, source, values)
  } finally {
    if (stdinCopy) rmSync(stdinCopy, { recursive: true, force: true })
  }
}

/** Imports `source` (named `name` in messages) into the recording `values.output`. */
async function importFile(
  name: string,
  source: string,
  values: { output?: string; url?: string; 'keep-secrets'?: boolean },
): Promise<number> {
  // Read a window at a time: SSE text of a long stream is gigabytes, written to the recording as it is read.
  let bytes: FileWindow
  try {
    bytes = new FileWindow(source)
  } catch (error) {
    process.stderr.write(`sse-inspector import: cannot read ${name}: ${(error as Error).message}\n`)
    return 1
  }
  try {
    let session: ImportedSession
    try {
      session = importedSession(name, bytes, values.url ?? 'http://imported.invalid/', {
        isKeepingSecrets: values['keep-secrets'] === true,
      })
    } catch (error) {
      process.stderr.write(`sse-inspector import: ${(error as Error).message}\n`)
      return 1
    }
    return await written('import', values.output!, () => writeRecording(values.output!, session))
  } finally {
    bytes.close()
  }
}
