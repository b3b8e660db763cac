import { closeSync, openSync, readSync, statSync } from 'node:fs'
import { formatBytes } from '../../shared/format-bytes.ts'

/**
 * A file's bytes, refused past `maxBytes`: a path typed by the user may be /dev/zero or /dev/urandom,
 * which readFileSync reads until memory runs out. Pipes (`--data-file <(…)`) are read to their end.
 */
export function readFileCapped(
  file: string,
  maxBytes: number,
  options: {
    /** Only a regular file: opening a named pipe with no writer waits for ever (the whole process). */
    isFileOnly?: boolean
  } = {},
): Buffer {
  if (options.isFileOnly && !statSync(file).isFile()) throw new Error('it is not a file')
  const fd = openSync(file, 'r')
  try {
    const parts: Buffer[] = []
    let total = 0
    for (;;) {
      const part = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total))
      const size = readSync(fd, part, 0, part.length, null)
      if (size === 0) return Buffer.concat(parts, total)
      parts.push(part.subarray(0, size))
      total += size
      if (total > maxBytes) throw new Error(`it is larger than ${formatBytes(maxBytes)} (or endless)`)
    }
  } finally {
    closeSync(fd)
  }
}

/** The most a certificate or key file is read to (a bundle of every public root CA is ~220 kB). */
const MAX_PEM_BYTES = 4 * 1024 * 1024

/** A certificate or key file's text: a regular file of at most 4 MiB. */
export function readPemFile(file: string): string {
  return readFileCapped(file, MAX_PEM_BYTES, { isFileOnly: true }).toString('utf8')
}
