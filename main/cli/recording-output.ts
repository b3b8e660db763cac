import { statSync } from 'node:fs'
import type { StreamRequest } from '../../shared/sse/stream-request.ts'
import { createRecorder, type Recorder } from '../recording/recorder.ts'
import { UsageError } from './usage-error.ts'

/**
 * Opens the recording file `record -o` or `watch --record` names. A file with something in it is kept
 * unless --force: it may be an earlier recording, and overwriting it loses what it held. (Devices and
 * pipes, /dev/stdout say, are written to as asked.)
 */
export function startRecording(
  file: string,
  request: StreamRequest,
  options: { isKeepingSecrets: boolean; isForced: boolean },
): Recorder {
  const existing = statSync(file, { throwIfNoEntry: false })
  if (!options.isForced && existing?.isFile() && existing.size > 0)
    throw new UsageError(`${file} already exists: pick another name, or add --force to replace it`)
  try {
    return createRecorder(file, request, { isKeepingSecrets: options.isKeepingSecrets })
  } catch (error) {
    throw new UsageError(`cannot write ${file}: ${(error as Error).message}`)
  }
}
