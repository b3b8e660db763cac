import { createContext, useContext } from 'react'
import type { PageApi } from './api-client.ts'

export const ApiContext = createContext<PageApi | undefined>(undefined)

/** The backend API, from the nearest provider. */
export function useApi(): PageApi {
  const api = useContext(ApiContext)
  if (!api) throw new Error('no API provider')
  return api
}
