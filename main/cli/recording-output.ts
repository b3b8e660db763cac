import { randomUUID } from 'node:crypto'
import { statSync } from 'node:fs'
import type { StreamRecord } from '../../shared/sse/stream-records.ts'
import type { StreamRequest } from '../../shared/sse/stream-request.ts'
import { createRecorder, type Recorder } from '../recording/recorder.ts'
import { SessionLibrary } from '../recording/session-library.ts'
import { UsageError } from './usage-error.ts'
import { isSameFile } from '../runtime/same-file.ts'

/**
 * Refuses to write over a file that holds something — an earlier recording, an export — unless forced:
 * overwriting it loses what it held. (Devices and pipes, /dev/stdout say, are written to as asked.)
 */
/** Refuses `-` (standard output) as where a recording file goes: it is a file format, appended as it goes. */
export function refuseStdoutRecording(file: string): void {
  if (file === '-')
    throw new UsageError(
      "'-' is standard output, where no recording is written: name a file (watch prints the stream; export -o - writes a recording as text)",
    )
}

export function refuseOverwrite(file: string, isForced: boolean): void {
  const existing = statSync(file, { throwIfNoEntry: false })
  if (!isForced && existing?.isFile() && existing.size > 0)
    throw new UsageError(`${file} already exists: pick another name, or add --force to replace it`)
}

/**
 * Refuses an output that is the file being read (by any name: a link, a path with ..): writing it would
 * destroy what is read, whatever --force says (`export x.rec -o x.rec --force` replaced the recording).
 */
export function refuseSameFile(input: string, output: string): void {
  if (isSameFile(input, output))
    throw new UsageError(`-o ${output} is the file being read: pick another name`)
}

/**
 * Opens the recording file `record -o` or `watch --record` names, unless it would overwrite one
 * (refuseOverwrite).
 */
export function startRecording(
  file: string,
  request: StreamRequest,
  options: { isKeepingSecrets: boolean; isForced: boolean; onFailure?: (message: string) => void },
): Recorder {
  refuseStdoutRecording(file)
  refuseOverwrite(file, options.isForced)
  try {
    return createRecorder(file, request, options)
  } catch (error) {
    throw new UsageError(`cannot write ${file}: ${(error as Error).message}`)
  }
}

/** Where `record` writes: a file of its own or the library; closing says what was written where. */
export type RecordingOutput = {
  write: (records: readonly StreamRecord[]) => void
  close: (outcome: string) => Promise<{ bytesWritten: number; file: string }>
}

/** `record -o FILE`. */
export function fileRecording(
  file: string,
  request: StreamRequest,
  options: { isKeepingSecrets: boolean; isForced: boolean; onFailure: (message: string) => void },
): RecordingOutput {
  const recorder = startRecording(file, request, options)
  return {
    write: (records) => recorder.write(records),
    close: async () => ({ bytesWritten: await recorder.close(), file }),
  }
}

/**
 * `record --in-library`: an entry in the app's library (the app lists it live, as its own). Other
 * recordings there are left for the app to look after: nothing is counted or recovered here.
 */
export function libraryRecording(
  dir: string,
  request: StreamRequest,
  options: { name?: string; onFailure: (message: string) => void },
): RecordingOutput {
  let library: SessionLibrary
  let recording: ReturnType<SessionLibrary['startRecording']>
  const id = randomUUID()
  try {
    library = new SessionLibrary(dir, { isLookingAfterOthers: false })
    recording = library.startRecording(id, request, options.onFailure, options.name)
  } catch (error) {
    throw new UsageError(`cannot record into the library in ${dir}: ${(error as Error).message}`)
  }
  const file = library.fileOf(id)!
  return {
    write: (records) => recording.write(records),
    close: async (outcome) => {
      await recording.finish(outcome)
      return { bytesWritten: statSync(file, { throwIfNoEntry: false })?.size ?? 0, file }
    },
  }
}
