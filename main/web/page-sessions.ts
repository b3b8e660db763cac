import type { Push } from '../../shared/api.ts'
import type { Backend } from '../backend/backend.ts'
import type { PageWork } from '../backend/page-rejoin.ts'

/** How long a page may be gone (its push stream closed) before what it started is stopped. */
export const DEFAULT_PAGE_GONE_GRACE_MS = 10_000

type Page = {
  streams: number
  connections: Set<string>
  checkRuns: Set<string>
  servedRecordings: Set<string> // replay servers it started (Library: Serve)
  timer?: NodeJS.Timeout
}

/**
 * What each browser page started — connections, replays, check runs, replay servers — so that it ends when the page
 * goes away. A closed or reloaded page never sees its connections again (a new page knows nothing of
 * them), yet they went on streaming and recording in the background until the server stopped: an
 * endless stream filled the disk. A page is its push stream; it has a grace period to come back (the
 * stream reconnects after a network blip) before its work is stopped. Calls without a page id (curl
 * against the API) own nothing.
 */
export class PageSessions {
  private readonly pages = new Map<string, Page>()
  /** Which page started each connection and check run. */
  private readonly owners = new Map<string, string>()
  private readonly backend: Backend
  private readonly graceMs: number

  constructor(backend: Backend, graceMs = DEFAULT_PAGE_GONE_GRACE_MS) {
    this.backend = backend
    this.graceMs = graceMs
  }

  /** A page's push stream opened; call the returned function when it closes. */
  attach(pageId: string): () => void {
    const page = this.pageOf(pageId)
    page.streams++
    clearTimeout(page.timer)
    page.timer = undefined
    return () => {
      if (--page.streams > 0) return
      page.timer = setTimeout(() => this.stop(pageId), this.graceMs)
    }
  }

  /** Whether a page's push stream is open now (a second page with its id is a copy: a duplicated tab). */
  isAttached(pageId: string): boolean {
    return (this.pages.get(pageId)?.streams ?? 0) > 0
  }

  /** What a page started: connections (or replays opened), check runs and replay servers, oldest first (a reloaded page shows them again). */
  startedBy(pageId: string): PageWork {
    const page = this.pages.get(pageId)
    return {
      connectionIds: [...(page?.connections ?? [])],
      checkRunIds: [...(page?.checkRuns ?? [])],
      servedRecordingIds: [...(page?.servedRecordings ?? [])],
    }
  }

  /** Notes what an API call (its arguments, validated) started for a page. */
  noteResult(pageId: string, method: string, args: readonly unknown[], result: unknown): void {
    const id = (key: string) => (result as Record<string, unknown> | null)?.[key]
    const connectionId = id('connectionId')
    const runId = id('runId')
    if ((method === 'connect' || method === 'openRecording') && typeof connectionId === 'string') {
      this.pageOf(pageId).connections.add(connectionId)
      this.owners.set(connectionId, pageId)
    } else if (method === 'runChecks' && typeof runId === 'string') {
      this.pageOf(pageId).checkRuns.add(runId)
      this.owners.set(runId, pageId)
    } else if (method === 'serveRecording' && typeof args[0] === 'string')
      this.pageOf(pageId).servedRecordings.add(args[0])
  }

  /** Whether a page started a connection (or opened it, a replay). */
  owns(pageId: string | undefined, connectionId: string): boolean {
    return pageId !== undefined && this.owners.get(connectionId) === pageId
  }

  /**
   * Whether a push is for a page: anything but what another page started (that page alone shows it;
   * another tab held and parsed a firehose it never showed). A push may come before the answer that
   * names its connection: unknown yet, it goes (the page holds it until the answer).
   */
  isFor(pageId: string | undefined, push: Push): boolean {
    if (pageId === undefined) return true // not a page (curl on the API): it sees everything
    const id = 'connectionId' in push ? push.connectionId : 'runId' in push ? push.runId : undefined
    const owner = id === undefined ? undefined : this.owners.get(id)
    return owner === undefined || owner === pageId
  }

  /** Stops every timer (the server is closing; the backend stops everything itself). */
  close(): void {
    for (const page of this.pages.values()) clearTimeout(page.timer)
    this.pages.clear()
    this.owners.clear()
  }

  private pageOf(pageId: string): Page {
    let page = this.pages.get(pageId)
    if (!page) {
      page = { streams: 0, connections: new Set(), checkRuns: new Set(), servedRecordings: new Set() }
      this.pages.set(pageId, page)
    }
    return page
  }

  private stop(pageId: string): void {
    const page = this.pages.get(pageId)
    if (!page || page.streams > 0) return
    this.pages.delete(pageId)
    // Their owner stays known: their last pushes (closed, check-done) are for no other page either.
    for (const connectionId of page.connections) void this.backend.disconnect(connectionId)
    for (const runId of page.checkRuns) void this.backend.stopChecks(runId)
    // A replay server is one per recording: it stays while another page serves that recording too.
    for (const recordingId of page.servedRecordings) {
      const isServedElsewhere = [...this.pages.values()].some((other) =>
        other.servedRecordings.has(recordingId),
      )
      if (!isServedElsewhere) void this.backend.stopServingRecording(recordingId)
    }
  }
}
