import { createContext, useContext } from 'react'
import type { InspectorApi } from '../../shared/api.ts'

export const ApiContext = createContext<InspectorApi | undefined>(undefined)

/** The backend API, from the nearest provider. */
export function useApi(): InspectorApi {
  const api = useContext(ApiContext)
  if (!api) throw new Error('no API provider')
  return api
}
