import { create } from 'zustand'

/** What the user picked: follow the system, or always light or dark. */
export type ThemeChoice = 'system' | 'light' | 'dark'
export type Theme = 'light' | 'dark'

const KEY = 'sse-inspector.theme.v1'
const systemDark = () => window.matchMedia('(prefers-color-scheme: dark)')

function loadChoice(): ThemeChoice {
  try {
    const stored = localStorage.getItem(KEY)
    return stored === 'light' || stored === 'dark' ? stored : 'system'
  } catch {
    return 'system'
  }
}

const resolve = (choice: ThemeChoice): Theme =>
  choice === 'system' ? (systemDark().matches ? 'dark' : 'light') : choice

type ThemeState = { choice: ThemeChoice; theme: Theme; choose: (choice: ThemeChoice) => void }

/**
 * The theme in effect, as `data-theme` on the root element (the stylesheet's colours hang on it) and
 * in this store, for what paints itself (the timeline's canvas) to redraw when it changes.
 */
export const useTheme = create<ThemeState>((set) => ({
  choice: loadChoice(),
  theme: resolve(loadChoice()),
  choose: (choice) => {
    try {
      if (choice === 'system') localStorage.removeItem(KEY)
      else localStorage.setItem(KEY, choice)
    } catch {
      // Storage unavailable: the choice lasts until the window closes.
    }
    set({ choice, theme: resolve(choice) })
  },
}))

/** Applies the theme now and whenever it or the system's changes; call once, before the first render. */
export function startTheme(): void {
  const apply = (theme: Theme) => {
    document.documentElement.dataset.theme = theme
  }
  apply(useTheme.getState().theme)
  useTheme.subscribe((state) => apply(state.theme))
  systemDark().addEventListener('change', () => {
    const { choice } = useTheme.getState()
    if (choice === 'system') useTheme.setState({ theme: resolve(choice) })
  })
}
