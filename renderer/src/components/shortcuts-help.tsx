import { useEffect, useRef } from 'react'
import { SHORTCUT_GROUPS } from '../shortcuts.ts'

/** The keyboard shortcuts, in a modal dialog (Esc or a click outside closes it). */
export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const element = dialog.current
    if (element && !element.open) element.showModal()
  }, [])
  return (
    <dialog
      ref={dialog}
      className="shortcuts"
      aria-labelledby="shortcuts-title"
      onClose={onClose}
      onClick={(event) => {
        if (event.target === dialog.current) dialog.current.close() // the backdrop
      }}
    >
      <div className="shortcuts-head">
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <button type="button" className="ghost" aria-label="Close" onClick={() => dialog.current?.close()}>
          ✕
        </button>
      </div>
      {SHORTCUT_GROUPS.map((group) => (
        <section key={group.title}>
          <h3>{group.title}</h3>
          <dl>
            {group.items.map((item) => (
              <div key={item.keys} className="shortcut">
                <dt>
                  {item.keys.split(' ').map((key, i) => (
                    <kbd key={i}>{key}</kbd>
                  ))}
                </dt>
                <dd>{item.action}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </dialog>
  )
}
