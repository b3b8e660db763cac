import { useState } from 'react'
import type { RecordingSummary } from '../../../shared/recording/library.ts'
import { useApi } from '../api-context.ts'
import { showFailure } from '../show-failure.ts'

/** Renames, tags and annotates a recording. */
export function RecordingEditor({
  recording,
  onSaved,
}: {
  recording: RecordingSummary
  onSaved: () => void
}) {
  const api = useApi()
  const [name, setName] = useState(recording.name)
  const [notes, setNotes] = useState(recording.notes)
  const [tags, setTags] = useState(recording.tags.join(', '))
  return (
    <form
      className="recording-editor"
      aria-label={`Edit ${recording.name}`}
      onSubmit={(e) => {
        e.preventDefault()
        const tagList = tags
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean)
        void api.editRecording(recording.id, { name, notes, tags: tagList }).then(onSaved).catch(showFailure)
      }}
    >
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Tags (comma-separated)
        <input value={tags} onChange={(e) => setTags(e.target.value)} />
      </label>
      <label>
        Notes
        <textarea rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} />
      </label>
      <button type="submit" className="primary">
        Save
      </button>
    </form>
  )
}
