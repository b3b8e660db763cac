import { useEffect } from 'react'
import { useInspector } from './store/inspector-store.ts'

const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false

/**
 * Files dropped anywhere on the window go to the Library to be imported. A browser opens a file
 * dropped where no one takes it in place of the page: the app was gone, its connections stopped
 * soon after. (The Library takes its own drops; they arrive here handled.)
 */
export function useWindowFileDrop(): void {
  useEffect(() => {
    const onDragOver = (event: DragEvent) => {
      if (!hasFiles(event)) return
      event.preventDefault()
      event.dataTransfer!.dropEffect = 'copy'
    }
    const onDrop = (event: DragEvent) => {
      if (event.defaultPrevented || !hasFiles(event)) return
      event.preventDefault()
      const files = [...event.dataTransfer!.files]
      if (files.length > 0) useInspector.setState({ view: 'library', droppedFiles: files })
    }
    window.addEventListener('dragover', onDragOver)
    window.addEventListener('drop', onDrop)
    return () => {
      window.removeEventListener('dragover', onDragOver)
      window.removeEventListener('drop', onDrop)
    }
  }, [])
}
