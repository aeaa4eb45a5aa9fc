/**
 * @module
 * Instructions per in-process fetch request (callgrind), the deterministic companion of the
 * mitata timings in `inproc/fetch.ts`: each handler runs in its own process under
 * `valgrind --tool=callgrind --instr-atstart=no`; after an interleaved warm-up, the counters are
 * zeroed and switched on around exactly `requests` requests per route (see `inproc/fetch-count.ts`).
 *
 * Only the main thread is counted. An in-process request allocates several WHATWG objects, so V8's
 * background threads (concurrent marking, compilation) do a lot of irregular work; counted with
 * them, one run differed from the next by up to 40%. The main thread (where the handler runs, and
 * the scavenges it causes) repeats within a few percent.
 */
import { execFile, spawn } from 'node:child_process'
import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { inprocBundle } from './build'
import { totalsOf, VALGRIND_FLAGS } from './callgrind'

const run = promisify(execFile)

/** Instructions per request, by handler then route id. */
export type FetchInstr = Record<string, Record<string, number>>

/** Counts one handler on every route. */
export async function countHandler(
  name: string,
  o: { requests: number; warmup: number; dir: string; tag: string; nodeFlags?: string[] }
): Promise<Record<string, number>> {
  mkdirSync(o.dir, { recursive: true })
  const base = `fetch-${name}.${o.tag}.cg`
  // Dumps are numbered from 1 in every process: old ones would pass for the newest.
  for (const f of readdirSync(o.dir)) if (f.startsWith(`${base}.`)) rmSync(join(o.dir, f))
  const child = spawn(
    'valgrind',
    [
      ...VALGRIND_FLAGS,
      // One dump per thread: only the main thread's count is kept (see the module comment).
      '--separate-threads=yes',
      `--callgrind-out-file=${join(o.dir, base)}`,
      `--log-file=${join(o.dir, `fetch-${name}.${o.tag}.log`)}`,
      process.execPath,
      ...(o.nodeFlags ?? []),
      inprocBundle('fetch-count'),
      name,
      String(o.requests),
      String(o.warmup),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } }
  )
  const pid = String(child.pid)
  const control = (...args: string[]): Promise<unknown> =>
    run('callgrind_control', [...args, pid], { timeout: 60_000 })
  const out: Record<string, number> = {}
  const timer = setTimeout(() => child.kill('SIGKILL'), 900_000)
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      const [word, route] = line.split(' ') as [string, string]
      if (word === 'READY') {
        await control('-z')
        await control('-i', 'on')
        child.stdin.write('GO\n')
      } else if (word === 'DONE') {
        await control('-i', 'off')
        await control('-d')
        out[route] = totalsOf(mainThreadDump(o.dir, base)) / o.requests
        child.stdin.write('NEXT\n')
      }
    }
  } finally {
    clearTimeout(timer)
    child.kill()
  }
  return out
}

/** The main thread's part (`<base>.<n>-01`) of the latest dump. */
function mainThreadDump(dir: string, base: string): string {
  let best = -1
  for (const f of readdirSync(dir)) {
    const m = /^(.*)\.(\d+)-01$/.exec(f)
    if (m === null || m[1] !== base) continue
    best = Math.max(best, Number(m[2]))
  }
  if (best < 0) throw new Error(`no callgrind dump ${base}.N-01 in ${dir}`)
  return join(dir, `${base}.${best}-01`)
}
