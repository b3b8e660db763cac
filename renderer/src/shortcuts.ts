import { useEffect } from 'react'
import { useInspector } from './store/inspector-store.ts'
import { pickFileToOpen } from './components/open-file-input.tsx'

export type ShortcutGroup = { title: string; items: readonly { keys: string; action: string }[] }

const MOD = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl'

/** Every keyboard shortcut the app has, as the help dialog lists them. */
export const SHORTCUT_GROUPS: readonly ShortcutGroup[] = [
  {
    title: 'Anywhere',
    items: [
      { keys: `${MOD} L`, action: 'Edit the URL (paste a curl command to fill the whole request)' },
      { keys: `${MOD} Enter`, action: 'Connect, or disconnect the live connection' },
      { keys: `${MOD} O`, action: 'Open a recording, HAR or SSE text file in a tab' },
      {
        keys: '/',
        action:
          'Filter the events (text or /regex/), or search the Library; Esc clears it, Esc again returns to the list',
      },
      { keys: 'Alt 1 … 9', action: 'Show connection tab 1 … 9' },
      { keys: '← →', action: 'A tab focused: show the tab before or after it' },
      { keys: 'Middle click', action: 'Close a connection tab (or its ×; or Delete, the tab focused)' },
      { keys: 't', action: 'Show or hide the timeline' },
      { keys: '?', action: 'Show these shortcuts' },
    ],
  },
  {
    title: 'Event list',
    items: [
      { keys: '↑ ↓', action: 'Select the previous or next row' },
      { keys: 'PageUp PageDown', action: 'Move a page' },
      { keys: 'Home End', action: 'First or last row (End follows the tail again)' },
      { keys: 'n N', action: 'Next or previous problem: a warning, an error, a reconnect' },
      { keys: `${MOD} C`, action: "Copy the selected row: an event's data, a comment's text" },
    ],
  },
  {
    title: 'Timeline (click it first)',
    items: [
      { keys: '+ −', action: 'Zoom in or out' },
      { keys: '← →', action: 'Pan' },
      { keys: '0', action: 'Fit everything' },
      { keys: 'f', action: 'Follow live' },
    ],
  },
  {
    title: 'Divider between the list and the detail (drag it, or focus it)',
    items: [
      { keys: '← →', action: 'Widen or narrow the detail pane' },
      { keys: 'Home End', action: 'Widest or narrowest detail pane' },
      { keys: 'Double-click', action: 'Back to the default split' },
    ],
  },
]

/** Whether a key press belongs to a text field (so single-key shortcuts stay out of its way). */
function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLElement && target.isContentEditable)
  )
}

/** Installs the shortcuts that work anywhere in the window; `onHelp` opens the list of them. */
export function useGlobalShortcuts(onHelp: () => void): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const isMod = event.ctrlKey || event.metaKey
      if (isMod && event.key.toLowerCase() === 'l') {
        event.preventDefault()
        const url = document.getElementById('url') as HTMLInputElement | null
        url?.focus()
        url?.select()
      } else if (isMod && !event.shiftKey && event.key.toLowerCase() === 'o') {
        event.preventDefault() // the browser's own Open File would leave the app
        pickFileToOpen()
      } else if (isMod && event.key === 'Enter') {
        event.preventDefault()
        document.querySelector<HTMLFormElement>('form.request-editor')?.requestSubmit()
      } else if (event.altKey && !isMod && /^Digit[1-9]$/.test(event.code)) {
        const { order, setActive } = useInspector.getState()
        const id = order[Number(event.code.slice(5)) - 1]
        if (id) {
          event.preventDefault()
          setActive(id)
        }
      } else if (!isMod && !event.altKey && !isTyping(event.target)) {
        if (event.key === '/') {
          // The events' filter, or in the Library its search: whichever the view shows.
          const filter = document.querySelector<HTMLElement>('#filter-text, #library-search')
          if (filter) {
            event.preventDefault()
            filter.focus()
          }
        } else if (event.key === '?') {
          event.preventDefault()
          onHelp()
        } else if (event.key === 't') {
          const toggle = document.getElementById('timeline-toggle')
          if (toggle) {
            event.preventDefault()
            toggle.click()
          }
        }
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onHelp])
}
