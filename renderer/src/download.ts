/** Saves bytes or text as a file through the browser's download (the desktop shell's save dialog). */
export function downloadFile(fileName: string, content: BlobPart | BlobPart[], mimeType: string): void {
  // Parts go to the Blob as they are: joining them first could pass the engine's longest string.
  const url = URL.createObjectURL(new Blob(Array.isArray(content) ? content : [content], { type: mimeType }))
  downloadUrl(url, fileName)
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** Lets the browser download `url` itself, straight to disk: for files larger than a page should hold. */
export function downloadUrl(url: string, fileName: string): void {
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.click()
}
