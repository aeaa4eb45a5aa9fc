/**
 * @module
 * Cold start: what a fresh process pays before it runs hot, as a serverless function or a new
 * replica of an autoscaled service does.
 *
 * - **Milliseconds to the first answer** (no valgrind): from `spawn()` to the end of the first
 *   answer on route 4, the request sent as soon as the server prints `LISTENING`; the median of
 *   several fresh processes.
 * - **Instructions to the first answer**: the same under `valgrind --tool=callgrind` with counting
 *   on from the first instruction (`--instr-atstart=yes`): node's own start-up (the same for every
 *   server), loading the bundle and its npm packages, building the app, listening, and the first
 *   request; dumped right after that answer.
 * - **Instructions per request over the first 1,000 requests**: then, counters zeroed, 1,000 more
 *   route-4 requests one after another, each on a fresh connection (`Connection: close`), so the
 *   window holds the JIT's compile work, the code that runs before it, and accepting and closing
 *   every socket.
 */
import { join } from 'node:path'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { newestDump, totalsOf, VALGRIND_FLAGS } from './callgrind'
import { fetchOnce } from './client'
import { ROUTES, type Probe, type ServerSpec } from './servers'
import { startServer } from './spawn'

const run = promisify(execFile)

/** The route a cold process is asked first, and then 1,000 times. */
export const COLD_ROUTE: Probe = ROUTES[3] as Probe

/** What one server's cold start costs. */
export interface ColdResult {
  /** Milliseconds from spawn to the first answer, one value per fresh process. */
  ms: number[]
  /** Instructions from the first one to the first answer, one value per repeat. */
  startInstr: number[]
  /** Instructions per request over the first `requests` requests, one value per repeat. */
  firstInstr: number[]
}

/** Options of the cold-start runs. */
export interface ColdOptions {
  /** Fresh processes timed (no valgrind). */
  timings: number
  /** Runs under callgrind. */
  repeats: number
  /** Requests counted after the first answer, each on a new connection. */
  requests: number
  /** Where dumps and logs go. */
  dir: string
}

async function answerOk(port: number, probe: Probe, timeout: number): Promise<void> {
  const answer = await fetchOnce(port, probe, undefined, timeout)
  if (answer.status !== 200) throw new Error(`${probe.path} answered ${answer.status}`)
}

/** Milliseconds from spawn to the first answer, in a fresh process. */
export async function timeToFirstAnswer(spec: ServerSpec): Promise<number> {
  const t0 = process.hrtime.bigint()
  const server = await startServer(spec)
  try {
    await answerOk(server.port, COLD_ROUTE, 10_000)
    return Number(process.hrtime.bigint() - t0) / 1e6
  } finally {
    await server.stop()
  }
}

/** One callgrind run: instructions to the first answer, then per request over `requests`. */
export async function coldInstructions(
  spec: ServerSpec,
  o: Pick<ColdOptions, 'requests' | 'dir'> & { tag: string }
): Promise<{ start: number; first: number }> {
  const base = `${spec.id}.${o.tag}.cold`
  const flags = VALGRIND_FLAGS.map((f) => (f === '--instr-atstart=no' ? '--instr-atstart=yes' : f))
  const server = await startServer(spec, {
    prefix: [
      'valgrind',
      ...flags,
      `--callgrind-out-file=${join(o.dir, base)}`,
      `--log-file=${join(o.dir, `${base}.log`)}`,
    ],
    timeout: 180_000,
  })
  const control = (...args: string[]) =>
    run('callgrind_control', [...args, String(server.pid)], { timeout: 60_000 })
  try {
    await answerOk(server.port, COLD_ROUTE, 120_000)
    await control('-d')
    const start = totalsOf(newestDump(o.dir, base))
    await control('-z')
    for (let i = 0; i < o.requests; i++) await answerOk(server.port, COLD_ROUTE, 120_000)
    await control('-d')
    return { start, first: totalsOf(newestDump(o.dir, base)) / o.requests }
  } finally {
    await server.stop()
  }
}
