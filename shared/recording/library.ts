/** One recording in the session library, as the Library view lists it. */
export type RecordingSummary = {
  id: string
  name: string
  url: string
  method: string
  startedAtMs: number
  durationMs: number
  events: number
  bytes: number
  /** How the session ended: a close cause, or "recording" while it is still live. */
  outcome: string
  notes: string
  tags: string[]
  sizeBytes: number
  /** Set while its figures are counted from its file (an interrupted or found recording may hold GBs). */
  isCounting?: true
  /** Set while another process (another window of the app, `record --in-library`) records it: its pid. */
  recorderPid?: number
}

/** What the user may edit about a recording. */
export type RecordingEdit = { name?: string; notes?: string; tags?: string[] }

/** Whether a summary matches a search: every word in name, URL, notes, tags or outcome. */
export function matchesSearch(summary: RecordingSummary, search: string): boolean {
  const haystack =
    `${summary.name} ${summary.url} ${summary.notes} ${summary.tags.join(' ')} ${summary.outcome}`.toLowerCase()
  return search
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word))
}

/** The file names a picker offers to import or open: recordings, HAR, and SSE text (as curl -N saves it). */
export const IMPORTABLE_EXTENSIONS = ['sserec', 'har', 'json', 'sse', 'txt'] as const

/** IMPORTABLE_EXTENSIONS as a file input's `accept`. */
export const IMPORTABLE_ACCEPT = IMPORTABLE_EXTENSIONS.map((ext) => `.${ext}`).join(',')
