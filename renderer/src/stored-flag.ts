import { useCallback, useState } from 'react'

function load(key: string): boolean {
  try {
    return localStorage.getItem(key) === '1'
  } catch {
    return false
  }
}

/** A yes/no preference kept across restarts in local storage (off unless set). */
export function useStoredFlag(key: string): [boolean, (isOn: boolean) => void] {
  const [isOn, setOn] = useState(() => load(key))
  const set = useCallback(
    (next: boolean) => {
      setOn(next)
      try {
        if (next) localStorage.setItem(key, '1')
        else localStorage.removeItem(key)
      } catch {
        // Storage unavailable: the choice lasts until the window closes.
      }
    },
    [key],
  )
  return [isOn, set]
}
