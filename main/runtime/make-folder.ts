import { existsSync, mkdirSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'

/**
 * `mkdir -p`, failing where Node's own (`mkdirSync(dir, { recursive: true })`) spins for ever at full
 * CPU: under /proc, whose mkdir answers ENOENT for a parent that exists, so Node retries the parent.
 * A library folder is typed by the user: /proc/self/x froze the whole backend.
 */
export function makeFolder(dir: string): void {
  const missing: string[] = []
  for (let folder = resolve(dir); !existsSync(folder); folder = dirname(folder)) {
    missing.push(folder)
    if (dirname(folder) === folder) break // a root that does not exist (a missing drive)
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder) // ENOENT, EACCES, ENOTDIR… as they are
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error // made meanwhile by another process
    }
  }
  if (!statSync(dir).isDirectory()) throw new Error(`${dir} is not a folder`)
}
