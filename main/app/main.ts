// The Electron main entry. It sizes the heap, then loads the shell. The shell is imported dynamically
// because a bundle evaluates every static import of an external package (electron, undici…) before
// any of its own code: a static import would size the heap after they had loaded.
import '../runtime/small-young-generation.ts'

import('./shell.ts').catch((error: unknown) => {
  console.error('SSE Inspector failed to start:', error)
  process.exit(1)
})
