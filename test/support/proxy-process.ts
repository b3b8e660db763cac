import { spawn } from 'node:child_process'
import { waitForPort } from './local-port.ts'

/** A proxy a test started on 127.0.0.1: its address, and how to end it. */
export type StartedProxy = { url: string; stop: () => Promise<void> }

/**
 * Runs a proxy (`command args`) in the foreground as a child and returns once it listens on
 * 127.0.0.1:`port`. One that forks workers (`killsGroup`) runs in a process group of its own, killed
 * whole at stop (a graceful stop waits for workers serving open streams); the others get SIGTERM.
 */
export async function runProxyProcess(
  command: string,
  args: string[],
  port: number,
  options: { env?: NodeJS.ProcessEnv; killsGroup?: boolean; startTimeoutMs?: number; isTls?: boolean } = {},
): Promise<StartedProxy> {
  const child = spawn(command, args, { stdio: 'ignore', env: options.env, detached: options.killsGroup })
  await waitForPort(port, options.startTimeoutMs ?? 5000, command)
  return {
    url: `${options.isTls ? 'https' : 'http'}://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        if (options.killsGroup) process.kill(-child.pid!, 'SIGKILL')
        else child.kill('SIGTERM')
      }),
  }
}
