/**
 * @module
 * `pnpm bench [--quick] [--only=verify,callgrind,cold,load,fetch,router,memory] [--servers=node,cycle,…]`
 *
 * Builds the bundles, checks every server answers identically, runs each section and writes
 * `results/REPORT.md` (quick mode: `results/REPORT-quick.md`) plus the raw JSON beside it.
 */
import { execFile } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { buildAll, inprocBundle, OUT, ROOT } from './build'
import { measure, valgrindVersion } from './callgrind'
import { coldInstructions, timeToFirstAnswer } from './cold'
import { countHandler } from './fetch-instr'
import { FETCH_HANDLERS } from './inproc/_fetch-names'
import { runLoad } from './load'
import { machineInfo, PEERS, versionOf } from './machine'
import { bytesPerRequest, growth } from './memory'
import { renderReport, type Results } from './report'
import { SERVERS } from './servers'
import { startServer } from './spawn'
import { pool } from './stats'
import { checkFreshRequestId, collect, compareServer } from './verify'

const run = promisify(execFile)
const args = process.argv.slice(2)
const quick = args.includes('--quick')
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',')
const wanted = args
  .find((a) => a.startsWith('--servers='))
  ?.slice(10)
  .split(',')
const section = (name: string): boolean => only === undefined || only.includes(name)
const servers = SERVERS.filter(
  (s) => wanted === undefined || wanted.includes(s.id) || s.id === 'node'
)

const settings = quick
  ? {
      // Under valgrind, V8 needs thousands of requests per route before TurboFan has compiled the
      // hot path; with fewer (3,000 tried), compile work lands in the first counted window. The
      // warm-up is interleaved over the routes and spread over connections (see `warmUp()`).
      // A shorter warm-up and fewer counted requests than the full run, the fetch handlers only
      // timed. With 1,500 counted requests one GC cycle in a window moved a cell by half
      // (Fastify with schemas read 94k): 3,000 amortise it.
      callgrind: { repeats: 1, warmup: 5000, requests: 3000, connections: 1, jobs: 2 },
      fetchInstr: { repeats: 0, warmup: 0, requests: 0, jobs: 2 },
      // No separate warm-up: 27 warm-up calls of 1,000 requests still took ~25 s (each autocannon
      // call costs about half a second beyond its load), and quick figures are rough anyway.
      load: { rounds: 1, duration: 1, connections: 10, warmupRequests: 0 },
      memory: {
        warmup: 1000,
        window: 1000,
        // Growth is a full-mode figure (100k and 1M requests); quick mode keeps bytes/request.
        checkpoints: [],
        servers: SERVERS.map((s) => s.id),
      },
      // One callgrind run per server (the 1,000 fresh-connection requests are what the figure
      // is: fewer would weigh the interpreter more), three timed fresh processes.
      cold: { timings: 3, repeats: 1, requests: 1000, jobs: 2 },
    }
  : {
      callgrind: { repeats: 3, warmup: 8000, requests: 8000, connections: 1, jobs: 2 },
      fetchInstr: { repeats: 3, warmup: 3000, requests: 5000, jobs: 2 },
      load: { rounds: 3, duration: 4, connections: 10 },
      memory: {
        warmup: 5000,
        window: 2000,
        checkpoints: [100_000, 1_000_000],
        servers: SERVERS.map((s) => s.id),
      },
      cold: { timings: 7, repeats: 3, requests: 1000, jobs: 2 },
    }

const started = Date.now()
const log = (line: string): void => {
  process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${line}\n`)
}

async function verify(): Promise<void> {
  const running = await Promise.all(servers.map((s) => startServer(s)))
  try {
    const reference = await collect((running[0] as (typeof running)[number]).port)
    const problems: string[] = []
    for (const r of running) {
      for (const p of [
        ...compareServer(r.spec.id, reference, await collect(r.port, r.spec)),
        ...(await checkFreshRequestId(r.port, r.spec)),
      ]) {
        problems.push(`${r.spec.id}: ${p}`)
      }
    }
    if (problems.length > 0)
      throw new Error(`servers do not answer identically:\n${problems.join('\n')}`)
  } finally {
    await Promise.all(running.map((r) => r.stop()))
  }
}

async function inproc(name: 'fetch' | 'router'): Promise<unknown> {
  const { stdout } = await run(process.execPath, [inprocBundle(name)], {
    timeout: 600_000,
    maxBuffer: 16 << 20,
  })
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '))
  if (line === undefined) throw new Error(`${name} bench printed no RESULT line:\n${stdout}`)
  return JSON.parse(line.slice(7))
}

const machine = machineInfo()
const results: Results = {
  mode: quick ? 'quick' : 'full',
  machine,
  loadAtEnd: '',
  durationSeconds: 0,
  versions: Object.fromEntries(PEERS.map((p) => [p, versionOf(p)])),
  valgrind: await valgrindVersion(),
  settings,
  instr: {},
  load: null,
  fetch: null,
  fetchInstr: {},
  router: null,
  bytesPerRequest: {},
  growth: null,
  cold: {},
}

log(`building bundles into ${OUT}`)
await buildAll()
log('checking that every server answers identically')
await verify()
log(`ok: ${servers.length} servers, identical answers`)

const reportDir = join(ROOT, 'results')
// A partial run (--only, --servers) never overwrites the report of a whole run.
const reportName =
  only !== undefined || wanted !== undefined ? 'REPORT-partial' : quick ? 'REPORT-quick' : 'REPORT'
/** Writes the report as it stands (after every section, so a failure keeps what was measured). */
function save(): void {
  results.loadAtEnd = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')
  results.durationSeconds = (Date.now() - started) / 1000
  mkdirSync(reportDir, { recursive: true })
  writeFileSync(join(reportDir, `${reportName}.json`), `${JSON.stringify(results, null, 2)}\n`)
  writeFileSync(join(reportDir, `${reportName}.md`), renderReport(results))
}
let failed = false
/** Runs one section; a failure is reported and the run goes on with the next one. */
async function step(name: string, fn: () => Promise<void>): Promise<void> {
  if (!section(name)) return
  try {
    await fn()
  } catch (error) {
    failed = true
    log(`${name} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`)
  }
  save()
}

await step('fetch', async () => {
  log('in-process fetch handlers')
  results.fetch = (await inproc('fetch')) as Results['fetch']
  if (results.valgrind === null) return
  const f = settings.fetchInstr
  const dir = join(OUT, 'callgrind-fetch')
  rmSync(dir, { recursive: true, force: true })
  const tasks = Array.from({ length: f.repeats }, (_, rep) =>
    FETCH_HANDLERS.map((name) => async () => {
      const r = await countHandler(name, { ...f, dir, tag: `r${rep + 1}` })
      for (const [route, v] of Object.entries(r))
        ((results.fetchInstr[name] ??= {})[route] ??= []).push(v)
      log(
        `fetch callgrind ${name} #${rep + 1}: ${Object.values(r)
          .map((v) => Math.round(v))
          .join(' / ')} instr/req`
      )
    })
  ).flat()
  await pool(tasks, f.jobs)
})
await step('router', async () => {
  log('routers')
  results.router = (await inproc('router')) as Results['router']
})
await step('memory', async () => {
  const m = settings.memory
  for (const spec of servers.filter((s) => m.servers.includes(s.id))) {
    const bytes = await bytesPerRequest(spec, m.warmup, m.window)
    results.bytesPerRequest[spec.id] = bytes
    log(
      `bytes/request ${spec.id}: ${Object.values(bytes)
        .map((b) => Math.round(b))
        .join(' / ')}`
    )
  }
  const cycle = servers.find((s) => s.id === 'cycle')
  if (cycle !== undefined && m.checkpoints.length > 0) {
    results.growth = await growth(cycle, m.checkpoints, m.warmup)
    log(
      `growth: ${results.growth
        .map((p) => `${p.requests}: ${(p.sample.rss / 2 ** 20).toFixed(1)} MiB`)
        .join(', ')}`
    )
  }
})
await step('callgrind', async () => {
  if (results.valgrind === null)
    throw new Error('valgrind is missing: run `pnpm --filter @cycle/bench setup`.')
  const c = settings.callgrind
  const dir = join(OUT, 'callgrind')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  // Repeats outermost, so a slow phase of the machine spreads over every server alike; within a
  // repeat the heavy servers go first (see `ServerSpec.heavy`).
  const order = [
    ...servers.filter((s) => s.heavy === true),
    ...servers.filter((s) => s.heavy !== true),
  ]
  const tasks = Array.from({ length: c.repeats }, (_, rep) =>
    order.map((spec) => async () => {
      const r = await measure(spec, { ...c, dir, tag: `r${rep + 1}` })
      for (const [route, v] of Object.entries(r))
        ((results.instr[spec.id] ??= {})[route] ??= []).push(v)
      log(
        `callgrind ${spec.id} #${rep + 1}: ${Object.values(r)
          .map((v) => Math.round(v))
          .join(' / ')} instr/req`
      )
    })
  ).flat()
  await pool(tasks, c.jobs)
})
await step('cold', async () => {
  if (results.valgrind === null)
    throw new Error('valgrind is missing: run `pnpm --filter @cycle/bench setup`.')
  const c = settings.cold
  // Timings first and one at a time (nothing else running), then the callgrind runs in pairs.
  for (let i = 0; i < c.timings; i++) {
    for (const spec of servers) {
      ;(results.cold[spec.id] ??= { ms: [], startInstr: [], firstInstr: [] }).ms.push(
        await timeToFirstAnswer(spec)
      )
    }
  }
  const dir = join(OUT, 'callgrind-cold')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const order = [
    ...servers.filter((s) => s.heavy === true),
    ...servers.filter((s) => s.heavy !== true),
  ]
  const tasks = Array.from({ length: c.repeats }, (_, rep) =>
    order.map((spec) => async () => {
      const r = await coldInstructions(spec, { requests: c.requests, dir, tag: `r${rep + 1}` })
      const cell = (results.cold[spec.id] ??= { ms: [], startInstr: [], firstInstr: [] })
      cell.startInstr.push(r.start)
      cell.firstInstr.push(r.first)
      log(
        `cold ${spec.id} #${rep + 1}: ${(r.start / 1e6).toFixed(
          0
        )}M to the first answer, ${Math.round(r.first)} instr/req over ${c.requests}`
      )
    })
  ).flat()
  await pool(tasks, c.jobs)
})
await step('load', async () => {
  log('autocannon rounds')
  results.load = await runLoad(settings.load, servers, log)
})

log(`wrote ${join(reportDir, `${reportName}.md`)}`)
if (failed) process.exitCode = 1
