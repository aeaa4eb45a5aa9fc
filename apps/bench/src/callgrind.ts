/**
 * @module
 * The primary figure: user-space instructions per request, counted by callgrind.
 *
 * The server runs under `valgrind --tool=callgrind --instr-atstart=no` (nothing is counted while
 * node starts and the JIT warms up on interleaved traffic, see `warmUp()`). Per route: `callgrind_control -z` (zero), `-i on`, exactly
 * `requests` keep-alive requests, `-i off`, `-d` (dump); the dump's `totals:` line divided by
 * the request count is the figure. Route 5 gets its own warm-up after routes 1–4 are measured. Kernel work (loopback TCP) is invisible to valgrind and the
 * same for every server. All of node's threads count (JIT compiler and GC helpers included).
 */
import { execFile } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { sendRequests, warmUp } from './client'
import { routesOf, type ServerSpec } from './servers'
import { startServer } from './spawn'

const run = promisify(execFile)

/** Flags every server runs under; recorded in the report. */
export const VALGRIND_FLAGS = [
  '--tool=callgrind',
  '--instr-atstart=no',
  '--smc-check=all-non-file',
] as const

/** Options of one measurement. */
export interface CallgrindOptions {
  /** Requests per route before counting (JIT warm-up). */
  warmup: number
  /** Requests on the measuring connection right before each counted window (default `warmup / 4`). */
  settle?: number
  /** Requests counted per route. */
  requests: number
  /** Keep-alive connections of the load client. */
  connections: number
  /** Where dumps and logs go. */
  dir: string
  /** Distinguishes repeats in file names. */
  tag: string
}

/** Instructions per request, by route id. */
export type InstrPerRoute = Record<string, number>

async function control(pid: number, ...args: string[]): Promise<void> {
  await run('callgrind_control', [...args, String(pid)], { timeout: 60_000 })
}

/** Reads the `totals:` (else `summary:`) line of a callgrind dump. */
export function totalsOf(file: string): number {
  const text = readFileSync(file, 'utf8')
  const m = /^totals:\s+(\d+)/m.exec(text) ?? /^summary:\s+(\d+)/m.exec(text)
  if (m === null) throw new Error(`no totals in ${file}`)
  return Number(m[1])
}

export function newestDump(dir: string, base: string): string {
  // Dumps are numbered `<base>.1`, `<base>.2`, …: the highest number is the latest.
  let best = -1
  for (const f of readdirSync(dir)) {
    if (!f.startsWith(`${base}.`)) continue
    const n = Number(f.slice(base.length + 1))
    if (Number.isInteger(n) && n > best) best = n
  }
  if (best < 0) throw new Error(`no callgrind dump ${base}.N in ${dir}`)
  return join(dir, `${base}.${best}`)
}

/** Measures one server on every route it serves; returns instructions per request by route id. */
export async function measure(spec: ServerSpec, o: CallgrindOptions): Promise<InstrPerRoute> {
  const base = `${spec.id}.${o.tag}.cg`
  const server = await startServer(spec, {
    prefix: [
      'valgrind',
      ...VALGRIND_FLAGS,
      `--callgrind-out-file=${join(o.dir, base)}`,
      `--log-file=${join(o.dir, `${spec.id}.${o.tag}.log`)}`,
    ],
    timeout: 180_000,
  })
  try {
    const routes = routesOf(spec)
    // Routes 1–4 are warmed up and measured as they always were; route 5 (the real stack: JWT,
    // crypto, several times the allocation) is warmed up and measured after them. In the shared
    // warm-up it changed the heap the first four were measured in (the node:http floor's route 1
    // read 52.2k instead of 54.8k, Cycle's 0.5k less), so ratios were no longer comparable.
    const first = routes.filter((r) => r.id !== 'r5')
    const later = routes.filter((r) => r.id === 'r5')
    await warmUp(server.port, first, o.warmup)
    const out: InstrPerRoute = {}
    for (const route of [...first, ...later]) {
      if (later.includes(route)) await warmUp(server.port, [route], o.warmup)
      // A short second warm-up: the route measured last must not be colder than the first.
      await sendRequests(server.port, route, o.settle ?? Math.ceil(o.warmup / 4), o.connections)
      await control(server.pid, '-z')
      await control(server.pid, '-i', 'on')
      await sendRequests(server.port, route, o.requests, o.connections)
      await control(server.pid, '-i', 'off')
      await control(server.pid, '-d')
      out[route.id] = totalsOf(newestDump(o.dir, base)) / o.requests
    }
    return out
  } finally {
    await server.stop()
  }
}

/** valgrind's version line, or null when it is missing. */
export async function valgrindVersion(): Promise<string | null> {
  try {
    return (await run('valgrind', ['--version'])).stdout.trim()
  } catch {
    return null
  }
}
