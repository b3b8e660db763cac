import { subscribe } from 'node:diagnostics_channel'
import type { ConnectionSetup } from '../../shared/sse/fetch-like.ts'

/** When a connection's setup began and its steps ended (performance.now() ms), filled in as they end. */
export type SetupTimes = { startedMs: number; lookupMs?: number; connectMs?: number; secureMs?: number }

type SocketEvents = { once(event: 'lookup' | 'connect' | 'secureConnect', listener: () => void): unknown }

let watchNextSocket: ((socket: SocketEvents) => void) | undefined
let isSubscribed = false

/**
 * Calls `connect`, timing the DNS lookup, TCP connect and TLS handshake of the socket it makes. Node
 * announces every client socket as it is created ('net.client.socket'), before any step has happened;
 * `connect` must create its socket synchronously (undici's connector does), so the next one announced
 * is its own.
 */
export function timeSocketSetup(connect: (times: SetupTimes) => void): void {
  if (!isSubscribed) {
    subscribe('net.client.socket', (message) => {
      const watch = watchNextSocket
      watchNextSocket = undefined
      watch?.((message as { socket: SocketEvents }).socket)
    })
    isSubscribed = true
  }
  const times: SetupTimes = { startedMs: performance.now() }
  watchNextSocket = (socket) => {
    socket.once('lookup', () => void (times.lookupMs = performance.now()))
    socket.once('connect', () => void (times.connectMs = performance.now()))
    socket.once('secureConnect', () => void (times.secureMs = performance.now()))
  }
  try {
    connect(times)
  } finally {
    watchNextSocket = undefined
  }
}

/**
 * The set-up a request saw on this connection: each step's duration if the connection was made for it
 * (after `requestStartedMs`), else that it went on one kept alive from an earlier request.
 */
export function connectionSetupOf(times: SetupTimes, requestStartedMs: number): ConnectionSetup {
  if (times.startedMs < requestStartedMs) return { isReused: true }
  const setup: ConnectionSetup = { isReused: false }
  if (times.lookupMs !== undefined) setup.dnsMs = roundMs(times.lookupMs - times.startedMs)
  if (times.connectMs !== undefined)
    setup.tcpMs = roundMs(times.connectMs - (times.lookupMs ?? times.startedMs))
  if (times.secureMs !== undefined && times.connectMs !== undefined)
    setup.tlsMs = roundMs(times.secureMs - times.connectMs)
  return setup
}

const roundMs = (ms: number) => Math.round(ms * 100) / 100
