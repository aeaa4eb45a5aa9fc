/**
 * @module
 * Starts a server bundle in its own process (optionally under valgrind) and waits for its
 * `LISTENING <port>` line. Every wait is bounded; `stop()` kills that one process.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { serverBundle } from './build'
import type { ServerSpec } from './servers'

/** A running server. */
export interface Running {
  readonly spec: ServerSpec
  readonly port: number
  /** Pid of the server (under valgrind, valgrind runs in that same process). */
  readonly pid: number
  readonly child: ChildProcess
  /** Kills the process and waits for it to exit (bounded). */
  stop(): Promise<void>
}

/** How to start one server. */
export interface StartOptions {
  /** Command and arguments put in front of `node` (valgrind's, for instance). */
  prefix?: readonly string[]
  /** Extra node flags. */
  nodeFlags?: readonly string[]
  /** Milliseconds to wait for the LISTENING line. Default 20 000 (valgrind needs more). */
  timeout?: number
  /** Open an IPC channel (for the memory probe). */
  ipc?: boolean
}

/** Starts `spec` on 127.0.0.1 (any free port). */
export function startServer(spec: ServerSpec, options: StartOptions = {}): Promise<Running> {
  const prefix = options.prefix ?? []
  const args = [...(options.nodeFlags ?? []), serverBundle(spec.entry)]
  const [cmd, ...rest] =
    prefix.length > 0 ? [...prefix, process.execPath, ...args] : [process.execPath, ...args]
  const child = spawn(cmd as string, rest, {
    env: { ...process.env, ...spec.env, PORT: '0', NODE_ENV: 'production' },
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  })
  const timeout = options.timeout ?? 20_000
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 8000) stderr += d.toString()
  })
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        resolve()
      }, 10_000)
      child.once('exit', () => {
        clearTimeout(timer)
        resolve()
      })
      child.kill('SIGTERM')
    })
  return new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => {
      void stop()
      reject(new Error(`${spec.id} did not start within ${timeout} ms. stderr:\n${stderr}`))
    }, timeout)
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(
        new Error(`${spec.id} exited (${code ?? signal}) before listening. stderr:\n${stderr}`)
      )
    })
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /LISTENING (\d+)/.exec(out)
      if (m === null) return
      clearTimeout(timer)
      child.removeAllListeners('exit')
      child.stdout?.removeAllListeners('data')
      child.stdout?.resume()
      resolve({ spec, port: Number(m[1]), pid: child.pid as number, child, stop })
    })
  })
}
