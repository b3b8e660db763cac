import { useEffect } from 'react'
import { openFiles } from './actions.ts'
import { useApi } from './api-context.ts'

const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false

/**
 * Files dropped on the window open, each in a tab, as Ctrl/⌘ O opens them (a file dropped on the
 * Library is only imported: it takes its own drops, which arrive here handled). Taken either way: a
 * browser opens a file dropped where no one takes it in place of the page, and the app was gone.
 */
export function useWindowFileDrop(): void {
  const api = useApi()
  useEffect(() => {
    const onDragOver = (event: DragEvent) => {
      if (!hasFiles(event)) return
      event.preventDefault()
      event.dataTransfer!.dropEffect = 'copy'
    }
    const onDrop = (event: DragEvent) => {
      if (event.defaultPrevented || !hasFiles(event)) return
      event.preventDefault()
      void openFiles(api, [...event.dataTransfer!.files])
    }
    window.addEventListener('dragover', onDragOver)
    window.addEventListener('drop', onDrop)
    return () => {
      window.removeEventListener('dragover', onDragOver)
      window.removeEventListener('drop', onDrop)
    }
  }, [api])
}
