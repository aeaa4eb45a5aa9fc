/**
 * Runs `limit-server.ts` in a child Node process (through tsx, workspace sources) and reads what
 * it prints: the port, then how many bytes each closed connection read (keyed by client port).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const script = fileURLToPath(new URL('./limit-server.ts', import.meta.url))

/** The server process. */
export interface ChildServer {
  readonly port: number
  /** Resolves with the `bytesRead` of the connection from client port `port`, once it closed. */
  closedFrom(port: number): Promise<number>
  /** SIGTERM (graceful), SIGKILL after 5 s. */
  stop(): Promise<void>
}

/** Starts the server and waits (bounded by the hook timeout) until it listens. */
export async function startChildServer(): Promise<ChildServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@cycle/source', script],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  )
  let stderr = ''
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const closed = new Map<number, number>()
  const waiters = new Map<number, (n: number) => void>()
  let listen: ((n: number) => void) | undefined
  let out = ''
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString()
    for (let nl = out.indexOf('\n'); nl !== -1; nl = out.indexOf('\n')) {
      const line = JSON.parse(out.slice(0, nl)) as { port: number; bytesRead?: number }
      out = out.slice(nl + 1)
      if (line.bytesRead === undefined) listen?.(line.port)
      else {
        const waiter = waiters.get(line.port)
        if (waiter) waiter(line.bytesRead)
        else closed.set(line.port, line.bytesRead)
      }
    }
  })
  const listening = await new Promise<number>((resolve, reject) => {
    listen = resolve
    void exited.then(() => reject(new Error(`limit-server exited early: ${stderr}`)))
  })
  return {
    port: listening,
    closedFrom: (port) => {
      const n = closed.get(port)
      return n !== undefined
        ? Promise.resolve(n)
        : new Promise((resolve) => waiters.set(port, resolve))
    },
    async stop() {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
    },
  }
}
