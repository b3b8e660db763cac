import { errorText } from './format.ts'
import { useInspector } from './store/inspector-store.ts'

/**
 * Shows why a call failed in the error banner: `api.x(…).catch(showFailure)` for a call whose answer
 * nothing waits on, which would otherwise fail unseen (an unhandled rejection).
 */
export function showFailure(error: unknown): void {
  useInspector.getState().setError(errorText(error))
}
