import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs'
import type { RecordingBytes } from '../../shared/recording/recording-format.ts'

/** What a window reads at least at a time: a read this large costs little per byte. */
export const WINDOW_BYTES = 16 * 1024 * 1024

/**
 * A file's bytes as a recording is read, front to back, holding only the part not yet released (and at
 * least `windowBytes` of it): printing or exporting a 2.5 GB recording took 2.7 GB of memory when the
 * file was read whole. Each time more is needed the window moves into a new buffer, so the chunks
 * handed out (views of the old one) stay as they were; the old one goes once nothing holds them.
 */
export class FileWindow implements RecordingBytes {
  length: number
  private buffer: Uint8Array = new Uint8Array(0)
  /** The file offset of buffer[0]. */
  private base = 0
  private releasedTo = 0
  private readonly fd: number
  private readonly windowBytes: number

  constructor(file: string, windowBytes = WINDOW_BYTES) {
    // Non-blocking: a named pipe no one writes to (x.sserec in a library folder, given to replay) would
    // hold the open, and the whole process, for ever; it is refused as not a file instead.
    this.fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
    try {
      const stats = fstatSync(this.fd)
      if (!stats.isFile()) throw new Error('not a file')
      this.length = stats.size
    } catch (error) {
      closeSync(this.fd)
      throw error
    }
    this.windowBytes = windowBytes
  }

  at(position: number): number | undefined {
    if (position < 0 || position >= this.length) return undefined
    this.assertHeld(position)
    this.cover(position + 1)
    return this.buffer[position - this.base]
  }

  indexOf(byte: number, from: number): number {
    this.assertHeld(from)
    let searched = from
    for (;;) {
      const held = this.base + this.buffer.length
      if (searched < held) {
        const found = this.buffer.indexOf(byte, searched - this.base)
        if (found !== -1) return this.base + found
        searched = held
      }
      if (held >= this.length) return -1
      this.cover(held + 1)
    }
  }

  subarray(start: number, end: number): Uint8Array {
    end = Math.min(end, this.length)
    this.assertHeld(start)
    this.cover(end)
    return this.buffer.subarray(start - this.base, end - this.base)
  }

  release(position: number): void {
    this.releasedTo = Math.max(this.releasedTo, position)
  }

  close(): void {
    closeSync(this.fd)
  }

  /** Bytes before the window were released: asked for, they would be wrong (a view cannot reach them). */
  private assertHeld(position: number): void {
    if (position < this.base) throw new Error(`byte ${position} was asked for after its release`)
  }

  /** Makes the window reach `end`: a new buffer of what is not released yet and the next bytes of the file. */
  private cover(end: number): void {
    const held = this.base + this.buffer.length
    if (end <= held) return
    const from = Math.min(this.releasedTo, held)
    // At least as much again as is kept: a line that runs on (a damaged or foreign file) is read in
    // doubling steps, not copied over and over (2.4 GB without a line break took minutes).
    const to = Math.min(this.length, Math.max(end, held + Math.max(this.windowBytes, held - from)))
    const unfilled = Buffer.allocUnsafe(to - from) // every byte is read over
    const next = new Uint8Array(unfilled.buffer, unfilled.byteOffset, unfilled.length) // chunks are Uint8Arrays, not Buffers
    next.set(this.buffer.subarray(from - this.base))
    let filled = held - from
    while (filled < next.length) {
      const read = readSync(this.fd, next, filled, next.length - filled, from + filled)
      if (read === 0) {
        this.length = from + filled // the file shrank since it was opened: what is there
        break
      }
      filled += read
    }
    this.buffer = next.subarray(0, filled)
    this.base = from
  }
}
