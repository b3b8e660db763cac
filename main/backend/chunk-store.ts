/** The bytes of one network chunk, where it starts in its response body. */
export type StoredChunk = { startByte: number; bytes: Uint8Array }

/** What the backend keeps of chunk bytes for the raw views, across all connections (default 256 MiB). */
export const DEFAULT_CHUNK_BUDGET_BYTES = 256 * 1024 * 1024

/**
 * What keeping a chunk costs beside its bytes (its map entry, objects, queue entry), counted against the
 * budget: a stream trickling a byte per chunk would otherwise hold hundreds of bytes per byte.
 */
export const CHUNK_OVERHEAD_BYTES = 256

/**
 * Chunk bytes by connection and seq, for the raw views, within a byte budget shared by all connections:
 * past it the oldest chunks are dropped (the recording keeps them all). Without a bound an endless
 * stream grew the backend by its own rate — and more: a chunk is often a view into the socket's larger
 * buffer, which it kept alive, so a 200 MB firehose held 1 GB. Such views are copied to their size.
 */
export class ChunkStore {
  private readonly byConnection = new Map<string, Map<number, StoredChunk>>()
  /** Every kept chunk, oldest first (from `head`; entries before it are cleared): what to drop when over budget. */
  private order: ({ connectionId: string; seq: number; chunk: StoredChunk } | undefined)[] = []
  private head = 0
  private totalBytes = 0
  private readonly budgetBytes: number

  constructor(budgetBytes = DEFAULT_CHUNK_BUDGET_BYTES) {
    this.budgetBytes = budgetBytes
  }

  add(connectionId: string, seq: number, startByte: number, bytes: Uint8Array): void {
    const compact = bytes.byteLength * 2 < bytes.buffer.byteLength ? bytes.slice() : bytes
    let chunks = this.byConnection.get(connectionId)
    if (!chunks) this.byConnection.set(connectionId, (chunks = new Map()))
    const chunk = { startByte, bytes: compact }
    this.forgetOne(chunks, seq)
    chunks.set(seq, chunk)
    this.order.push({ connectionId, seq, chunk })
    this.totalBytes += compact.byteLength + CHUNK_OVERHEAD_BYTES
    while (this.totalBytes > this.budgetBytes && this.head < this.order.length) this.dropOldest()
    // Compact the queue now and then, so it does not grow with everything ever dropped.
    if (this.head > 4096 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head)
      this.head = 0
    }
  }

  get(connectionId: string, seq: number): StoredChunk | undefined {
    return this.byConnection.get(connectionId)?.get(seq)
  }

  /** The kept chunks with seq in [fromSeq, toSeq], in order, until `maxBytes` is reached. */
  range(
    connectionId: string,
    fromSeq: number,
    toSeq: number,
    maxBytes: number,
  ): (StoredChunk & { seq: number })[] {
    const chunks = this.byConnection.get(connectionId)
    if (!chunks) return []
    const out: (StoredChunk & { seq: number })[] = []
    let total = 0
    const take = (seq: number, chunk: StoredChunk | undefined) => {
      if (!chunk || total >= maxBytes) return
      total += chunk.bytes.byteLength
      out.push({ seq, ...chunk })
    }
    // Look up each seq of a short range; walk the kept chunks (in seq order) for a long one.
    if (toSeq - fromSeq < chunks.size) for (let seq = fromSeq; seq <= toSeq; seq++) take(seq, chunks.get(seq))
    else for (const [seq, chunk] of chunks) if (seq >= fromSeq && seq <= toSeq) take(seq, chunk)
    return out
  }

  /** Drops a connection's chunks (a replay seeking back delivers them again). */
  forget(connectionId: string): void {
    const chunks = this.byConnection.get(connectionId)
    if (!chunks) return
    for (const chunk of chunks.values()) this.totalBytes -= chunk.bytes.byteLength + CHUNK_OVERHEAD_BYTES
    this.byConnection.delete(connectionId) // its queue entries are skipped when they come up
  }

  /** What is kept now: the bytes and their overhead. */
  get sizeBytes(): number {
    return this.totalBytes
  }

  private dropOldest(): void {
    const { connectionId, seq, chunk } = this.order[this.head]!
    this.order[this.head++] = undefined // else the queue keeps the dropped bytes alive until it compacts
    const chunks = this.byConnection.get(connectionId)
    // Forgotten or replaced since (a replay delivers the same seqs again): not this entry's to drop.
    if (chunks?.get(seq) === chunk) this.forgetOne(chunks, seq)
  }

  private forgetOne(chunks: Map<number, StoredChunk>, seq: number): void {
    const chunk = chunks.get(seq)
    if (!chunk) return
    chunks.delete(seq)
    this.totalBytes -= chunk.bytes.byteLength + CHUNK_OVERHEAD_BYTES
  }
}
