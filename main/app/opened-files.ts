import { statSync } from 'node:fs'
import { resolve } from 'node:path'

/**
 * The files a launch of the app asks it to open (a recording double-clicked, "Open with", a file on the
 * command line), from its arguments less its own: the executable, and when run unpackaged (`electron .`)
 * the app's folder. Switches (Chromium adds its own to a second launch's) are not files; each path is
 * taken from the launch's working folder, and only one naming a file is kept.
 */
export function filesToOpen(
  argv: readonly string[],
  { workingDirectory, isUnpackaged }: { workingDirectory: string; isUnpackaged: boolean },
): string[] {
  return argv
    .slice(isUnpackaged ? 2 : 1)
    .filter((arg) => !arg.startsWith('-'))
    .map((arg) => resolve(workingDirectory, arg))
    .filter((path) => statSync(path, { throwIfNoEntry: false })?.isFile() === true)
}
