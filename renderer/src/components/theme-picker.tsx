import { useTheme, type ThemeChoice } from '../theme.ts'

/** The header's theme menu: follow the system, or always light or dark (kept across restarts). */
export function ThemePicker() {
  const choice = useTheme((s) => s.choice)
  const choose = useTheme((s) => s.choose)
  return (
    <select
      className="theme-picker"
      aria-label="Theme"
      title="Theme"
      value={choice}
      onChange={(event) => choose(event.target.value as ThemeChoice)}
    >
      <option value="system">◐ System</option>
      <option value="light">☀ Light</option>
      <option value="dark">☾ Dark</option>
    </select>
  )
}
