/**
 * @module
 * Starts `server.ts` in its own Node process (tsx, workspace sources, `--expose-gc`) and talks to
 * it: the port it listens on, `stats()` samples, whether it is still alive, and a bounded stop.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { ServerStats } from './server'
import { SOAK_TIMEOUTS, type SoakTimeouts } from './target'

const script = fileURLToPath(new URL('./server.ts', import.meta.url))

/** The running soak server. */
export interface SoakServer {
  readonly port: number
  readonly pid: number
  /** The timeouts it runs with (cases that wait for the server to cut them read these). */
  readonly timeouts: SoakTimeouts
  /** `null` while it runs; its exit code or signal once it exited (a crash during a soak). */
  readonly exit: string | null
  /** Counters and memory (after a full GC with `gc`). Rejects if it does not answer in 10 s. */
  stats(gc?: boolean): Promise<ServerStats>
  /** SIGTERM (graceful close), SIGKILL after 10 s; resolves once it exited. */
  stop(): Promise<void>
}

/**
 * Starts the server and resolves once it listens (rejects if it exits or takes over 30 s).
 *
 * @param timeouts header, request and send timeouts (default: the soak's, `SOAK_TIMEOUTS`)
 */
export async function startSoakServer(timeouts: SoakTimeouts = SOAK_TIMEOUTS): Promise<SoakServer> {
  const env = { ...process.env, CYCLE_SOAK_TIMEOUTS: JSON.stringify(timeouts) }
  const child: ChildProcess = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', '--conditions=@cycle/source', script],
    { stdio: ['pipe', 'pipe', 'pipe'], env }
  )
  let stderr = ''
  let exit: string | null = null
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)))
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = signal ?? `exit ${String(code)}`
      resolve()
    })
  )
  const lines: ((line: Record<string, unknown>) => void)[] = []
  let out = ''
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString()
    for (let nl = out.indexOf('\n'); nl !== -1; nl = out.indexOf('\n')) {
      const text = out.slice(0, nl)
      out = out.slice(nl + 1)
      let parsed: Record<string, unknown>
      try {
        parsed = JSON.parse(text) as Record<string, unknown>
      } catch {
        continue // not ours (a warning)
      }
      lines.shift()?.(parsed)
    }
  })
  const next = (ms: number, what: string): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`soak server: no ${what} in ${ms} ms`)), ms)
      void exited.then(() => reject(new Error(`soak server exited (${exit}): ${stderr}`)))
      lines.push((line) => {
        clearTimeout(timer)
        resolve(line)
      })
    })
  const port = (await next(30_000, 'port')).port as number
  return {
    port,
    pid: child.pid as number,
    timeouts,
    get exit() {
      return exit
    },
    async stats(gc = false) {
      const answer = next(10_000, 'stats')
      child.stdin?.write(gc ? 'gc\n' : 'stats\n')
      return (await answer).stats as ServerStats
    },
    async stop() {
      if (exit === null) child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    },
  }
}
