import { IMPORTABLE_ACCEPT } from '../../../shared/recording/library.ts'
import { openFiles } from '../actions.ts'
import { useApi } from '../api-context.ts'

/** The id of the window's file picker: Ctrl/⌘ O and the first screen's button click it. */
export const OPEN_FILE_INPUT_ID = 'open-file'

/** Opens the window's file picker (a recording, HAR or SSE text to open in a tab). */
export const pickFileToOpen = () => document.getElementById(OPEN_FILE_INPUT_ID)?.click()

/** The window's file picker, out of sight: each file chosen is imported into the library and opened. */
export function OpenFileInput() {
  const api = useApi()
  return (
    <input
      id={OPEN_FILE_INPUT_ID}
      type="file"
      className="visually-hidden"
      tabIndex={-1}
      aria-label="Open a recording, HAR or SSE text"
      accept={IMPORTABLE_ACCEPT}
      multiple
      onChange={(e) => {
        void openFiles(api, [...(e.target.files ?? [])])
        e.target.value = ''
      }}
    />
  )
}
