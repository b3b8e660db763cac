import { writev, writevSync } from 'node:fs'

const BLOCK_BYTES = 256 * 1024
/** Blocks kept for reuse once written (full blocks are written at once, so few are ever out). */
const SPARE_BLOCKS = 8
/** writev takes at most IOV_MAX (1024) buffers per call. */
const IOV_MAX = 1024

/**
 * Appends to a file through reusable blocks that are written in the background, in order, one batch at
 * a time, so the caller's thread never waits for the disk. Appending copies: holding on to the caller's
 * buffers until the write instead would keep thousands of small objects alive across collections (at
 * the firehose rate ~30 MB per 100 ms), which costs far more in GC than the copy.
 */
export class BlockWriter {
  private readonly fd: number
  private block: Buffer = Buffer.allocUnsafeSlow(BLOCK_BYTES)
  private used = 0
  private sealed: Buffer[] = [] // appended and not yet handed to a write, in file order
  private readonly spare: Buffer[] = []
  private inFlight: Promise<void> | undefined
  private failure: Error | undefined
  private written = 0

  /** Hears of the first write error as it happens (writes run in the background). */
  onFailure: ((error: Error) => void) | undefined

  constructor(fd: number) {
    this.fd = fd
  }

  /** Bytes that reached the file so far. */
  get bytesWritten(): number {
    return this.written
  }

  /** The first write error, after which nothing more is written. */
  get error(): Error | undefined {
    return this.failure
  }

  append(bytes: Uint8Array): void {
    for (let offset = 0; offset < bytes.length;) {
      const count = Math.min(BLOCK_BYTES - this.used, bytes.length - offset)
      this.block.set(bytes.subarray(offset, offset + count), this.used)
      this.used += count
      offset += count
      if (this.used === BLOCK_BYTES) {
        this.seal()
        this.startWrite() // full blocks go out at once, so few are ever in flight or allocated
      }
    }
  }

  appendText(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit: if that fits, encode in place.
    if (text.length * 3 <= BLOCK_BYTES - this.used) this.used += this.block.write(text, this.used)
    else this.append(Buffer.from(text))
  }

  /** Starts writing what was appended, unless a write is still running (the next flush takes it). */
  flush(): void {
    if (this.inFlight || this.failure) return
    this.seal()
    this.startWrite()
  }

  private startWrite(): void {
    if (this.inFlight || this.failure || this.sealed.length === 0) return
    const parts = this.sealed
    this.sealed = []
    this.inFlight = this.writeInBackground(parts)
      .then(() => this.recycle(parts))
      .catch((error: unknown) => this.fail(error))
      .finally(() => {
        this.inFlight = undefined
        if (this.sealed.length > 0) this.startWrite() // blocks filled meanwhile
      })
  }

  /** Waits for the running write, then writes the rest synchronously (for close and the file's head). */
  async flushAll(): Promise<void> {
    await this.settled()
    this.flushNow()
  }

  /** Resolves once no write is running (then flushNow may be called). */
  async settled(): Promise<void> {
    while (this.inFlight) await this.inFlight
  }

  flushNow(): void {
    if (this.inFlight) throw new Error('flushNow while a write is running')
    this.seal()
    const parts = this.sealed
    this.sealed = []
    if (this.failure) return
    try {
      for (let rest = parts; rest.length > 0;) {
        const count = writevSync(this.fd, rest.slice(0, IOV_MAX))
        this.written += count
        rest = remainingAfter(rest, count)
      }
    } catch (error) {
      this.fail(error)
    }
  }

  private seal(): void {
    if (this.used === 0) return
    this.sealed.push(this.block.subarray(0, this.used))
    this.block = this.spare.pop() ?? Buffer.allocUnsafeSlow(BLOCK_BYTES)
    this.used = 0
  }

  private async writeInBackground(parts: Buffer[]): Promise<void> {
    for (let rest = parts; rest.length > 0;) {
      const count = await new Promise<number>((resolve, reject) =>
        writev(this.fd, rest.slice(0, IOV_MAX), (error, written) =>
          error ? reject(error) : resolve(written),
        ),
      )
      this.written += count
      rest = remainingAfter(rest, count)
    }
  }

  private recycle(parts: Buffer[]): void {
    for (const part of parts) {
      if (this.spare.length >= SPARE_BLOCKS) return
      if (part.buffer.byteLength === BLOCK_BYTES) this.spare.push(Buffer.from(part.buffer, 0, BLOCK_BYTES))
    }
  }

  private fail(error: unknown): void {
    this.sealed = []
    if (this.failure) return
    this.failure = error instanceof Error ? error : new Error(String(error))
    this.onFailure?.(this.failure)
  }
}

/**
 * What of `parts` is left after a write of `count` bytes. A write may take less than it was given (a disk
 * filling up, a file size limit): the rest is written next, or that write fails with the reason, and
 * the file never gets a gap. A write that takes nothing of what it was given is a failure.
 */
function remainingAfter(parts: Buffer[], count: number): Buffer[] {
  if (count === 0) throw new Error('the file takes no more bytes')
  let index = 0
  let skipped = count
  while (index < parts.length && skipped >= parts[index]!.length) skipped -= parts[index++]!.length
  const rest = parts.slice(index)
  if (skipped > 0) rest[0] = rest[0]!.subarray(skipped)
  return rest
}
