import { statSync } from 'node:fs'
import type { StreamRequest } from '../../shared/sse/stream-request.ts'
import { createRecorder, type Recorder } from '../recording/recorder.ts'
import { UsageError } from './usage-error.ts'

/**
 * Refuses to write over a file that holds something — an earlier recording, an export — unless forced:
 * overwriting it loses what it held. (Devices and pipes, /dev/stdout say, are written to as asked.)
 */
export function refuseOverwrite(file: string, isForced: boolean): void {
  const existing = statSync(file, { throwIfNoEntry: false })
  if (!isForced && existing?.isFile() && existing.size > 0)
    throw new UsageError(`${file} already exists: pick another name, or add --force to replace it`)
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
  refuseOverwrite(file, options.isForced)
  try {
    return createRecorder(file, request, options)
  } catch (error) {
    throw new UsageError(`cannot write ${file}: ${(error as Error).message}`)
  }
}
