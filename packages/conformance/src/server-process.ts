/**
 * @module
 * Runs a server as a child process and waits, for a bounded time, until it accepts requests.
 * A server that crashes or hangs fails with its own stderr in the message, so a broken runtime
 * shows why instead of timing out the whole suite.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'

/** How to tell that the server is listening. */
export type Readiness =
  /**
   * The server prints one JSON line `{"port": 1234}` on stdout once it listens on 127.0.0.1
   * (plus `"trustPort": 1235` when the `/trust/<form>/` routes are on a second server).
   */
  | { kind: 'port-line' }
  /** The server's port is known up front (workerd): poll it until any HTTP response comes back. */
  | { kind: 'http'; port: number }

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** Shown in errors, e.g. `'gateway-fetch on bun'`. */
  label: string
  command: string
  args: readonly string[]
  cwd?: string
  /** Added to the parent's environment. */
  env?: Readonly<Record<string, string>>
  ready: Readiness
  /** Give up after this long; 30 s by default. */
  timeoutMs?: number
}

/** A listening server in a child process. */
export interface RunningServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  baseUrl: string
  /** `http://127.0.0.1:<trustPort>` when the server announced one (see `gatewaySuite`'s `trustUrl`). */
  trustUrl?: string
  /** The child's pid, for diagnostics. */
  pid: number
  /** Stops the child (SIGTERM, then SIGKILL after 5 s) and resolves once it has exited. */
  close(): Promise<void>
}

const OUTPUT_LIMIT = 8_000
const live = new Set<ChildProcess>()

// A test worker that dies mid-suite must not leave servers bound to ports behind it.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL')
})

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true)
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve(true)
    })
  })
}

async function stop(child: ChildProcess): Promise<void> {
  // No pid: spawning failed, there is nothing to stop.
  if (child.pid !== undefined && !exited(child)) {
    child.kill('SIGTERM')
    if (!(await waitForExit(child, 5_000))) {
      child.kill('SIGKILL')
      await waitForExit(child, 5_000)
    }
  }
  live.delete(child)
}

interface Ports {
  port: number
  trustPort?: number
}

const isPort = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0

function parsePortLine(line: string): Ports | undefined {
  if (!line.startsWith('{')) return undefined
  try {
    const value: unknown = JSON.parse(line)
    if (typeof value === 'object' && value !== null && 'port' in value && isPort(value.port)) {
      const trustPort = 'trustPort' in value ? value.trustPort : undefined
      return isPort(trustPort) ? { port: value.port, trustPort } : { port: value.port }
    }
  } catch {
    // Not our line: runtimes may print their own banners.
  }
  return undefined
}

async function pollHttp(port: number, isDone: () => boolean): Promise<void> {
  while (!isDone()) {
    try {
      await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1_000) })
      return
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
}

/**
 * Spawns a server and resolves once it is ready to take requests on 127.0.0.1.
 *
 * @param options - see {@link StartServerOptions}
 * @returns the running server; always call `close()`
 * @throws Error (with the child's stderr) when it exits early, cannot be spawned or is not ready
 *   within `timeoutMs`
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const timeoutMs = options.timeoutMs ?? 30_000
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  live.add(child)

  let stderr = ''
  let stdout = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-OUTPUT_LIMIT)
  })

  const failure = (reason: string): Error =>
    new Error(
      `${options.label}: ${reason}\n  command: ${options.command} ${options.args.join(' ')}` +
        `\n  stderr:\n${stderr || '(empty)'}\n  stdout:\n${stdout || '(empty)'}`
    )

  let settled = false
  try {
    const ports = await new Promise<Ports>((resolve, reject) => {
      const timer = setTimeout(() => reject(failure(`not ready within ${timeoutMs} ms`)), timeoutMs)
      const done = (fn: () => void): void => {
        clearTimeout(timer)
        fn()
      }
      child.once('error', (error) => done(() => reject(failure(`cannot spawn (${error.message})`))))
      child.once('exit', (code, signal) =>
        done(() => reject(failure(`exited (${signal ?? `code ${code}`}) before it was ready`)))
      )
      let pending = ''
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        stdout = (stdout + chunk).slice(-OUTPUT_LIMIT)
        if (options.ready.kind !== 'port-line') return
        pending += chunk
        const lines = pending.split('\n')
        pending = lines.pop() ?? ''
        for (const line of lines) {
          const found = parsePortLine(line.trim())
          if (found !== undefined) done(() => resolve(found))
        }
      })
      if (options.ready.kind === 'http') {
        const { port: known } = options.ready
        void pollHttp(known, () => settled || exited(child)).then(() => {
          if (!exited(child)) done(() => resolve({ port: known }))
        })
      }
    })
    settled = true
    const { port, trustPort } = ports
    return {
      baseUrl: `http://127.0.0.1:${port}`,
      ...(trustPort === undefined ? {} : { trustUrl: `http://127.0.0.1:${trustPort}` }),
      pid: child.pid ?? -1,
      close: () => stop(child),
    }
  } catch (error) {
    settled = true
    await stop(child)
    throw error
  }
}
