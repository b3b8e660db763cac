// Adds N recordings to a library folder as fast as it can, then renames each: one side of a test of
// two processes writing one index at once.
import { randomUUID } from 'node:crypto'
import { SessionLibrary } from '../../main/recording/session-library.ts'
import { importToRecording } from '../../main/recording/library-files.ts'

const [dir, prefix, count] = process.argv.slice(2) as [string, string, string]
const library = new SessionLibrary(dir, { isLookingAfterOthers: false })
const { bytes, summary } = importToRecording('hammer.sse', new TextEncoder().encode('data: a\n\n'))
const ids: string[] = []
for (let i = 0; i < Number(count); i++) {
  const id = randomUUID()
  library.add(id, bytes, { ...summary, name: `${prefix} ${i}` })
  ids.push(id)
}
for (const [i, id] of ids.entries()) library.edit(id, { name: `${prefix} ${i} renamed` })
