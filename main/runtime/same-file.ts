import { statSync } from 'node:fs'

/** Whether two paths name one existing file (by a link, a path with .., another case…): device and inode. */
export function isSameFile(a: string, b: string): boolean {
  const [first, second] = [statSync(a, { throwIfNoEntry: false }), statSync(b, { throwIfNoEntry: false })]
  return (
    first?.isFile() === true && second !== undefined && first.dev === second.dev && first.ino === second.ino
  )
}
