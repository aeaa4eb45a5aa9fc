/**
 * @module
 * `pnpm --filter @cycle/bench profile <server> [route…]`: where one server spends its
 * instructions, by function, JIT code included. The server runs under callgrind with node's
 * `--perf-basic-prof`; the hex addresses callgrind reports for JIT code are resolved through the
 * `/tmp/perf-<pid>.map` node writes. Prints the top functions (self and inclusive) per route.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { buildAll } from './build'
import { sendRequests, warmUp } from './client'
import { ROUTES, routesOf, SERVERS } from './servers'
import { startServer } from './spawn'

const run = promisify(execFile)

interface Sym {
  start: bigint
  end: bigint
  name: string
}

function loadMap(pid: number): Sym[] {
  const file = `/tmp/perf-${pid}.map`
  if (!existsSync(file)) return []
  const syms: Sym[] = []
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line)
    if (m === null) continue
    const start = BigInt('0x' + m[1])
    syms.push({ start, end: start + BigInt('0x' + m[2]), name: m[3] as string })
  }
  // Later entries win (code can be re-created at an old address).
  return syms
}

function resolve(syms: Sym[], hex: string): string {
  const addr = BigInt(hex)
  for (let i = syms.length - 1; i >= 0; i--) {
    const s = syms[i] as Sym
    if (addr >= s.start && addr < s.end) return s.name
  }
  return hex
}

/** Self cost per function from a callgrind dump, JIT addresses resolved. */
function selfCosts(file: string, syms: Sym[]): Map<string, number> {
  const text = readFileSync(file, 'utf8')
  const names = new Map<string, string>()
  const costs = new Map<string, number>()
  let fn = ''
  let inCall = false
  for (const line of text.split('\n')) {
    if (line.startsWith('fn=')) {
      fn = nameOf(line.slice(3), names, syms)
      inCall = false
      continue
    }
    if (line.startsWith('cfn=')) {
      nameOf(line.slice(4), names, syms) // defines the id for later references
      continue
    }
    if (line.startsWith('calls=')) {
      inCall = true
      continue
    }
    if (/^[+-]?\d|^\*/.test(line)) {
      const parts = line.split(' ')
      const cost = Number(parts[1] ?? 0)
      if (inCall) {
        inCall = false // the line after calls= is the inclusive cost of the call, not self
        continue
      }
      costs.set(fn, (costs.get(fn) ?? 0) + cost)
    }
  }
  return costs
}

function nameOf(raw: string, names: Map<string, string>, syms: Sym[]): string {
  // "(id) name" defines, "(id)" reuses.
  const m = /^\((\d+)\)(?: (.*))?$/.exec(raw)
  let name: string
  if (m === null) name = raw
  else if (m[2] !== undefined) {
    names.set(m[1] as string, m[2])
    name = m[2]
  } else name = names.get(m[1] as string) ?? raw
  if (/^0x[0-9a-f]+$/.test(name)) return resolve(syms, name)
  return name
}

const serverId = process.argv[2] ?? 'cycle'
const routes = process.argv.slice(3)
const spec = SERVERS.find((s) => s.id === serverId)
if (spec === undefined) throw new Error(`unknown server ${serverId}`)
await buildAll()
const dir = mkdtempSync(join(tmpdir(), 'cycle-profile-'))
const base = join(dir, 'cg')
const server = await startServer(spec, {
  prefix: [
    'valgrind',
    '--tool=callgrind',
    '--instr-atstart=no',
    '--smc-check=all-non-file',
    `--callgrind-out-file=${base}`,
    `--log-file=${join(dir, 'log')}`,
  ],
  nodeFlags: ['--perf-basic-prof'],
  timeout: 180_000,
})
const requests = Number(process.env['REQUESTS'] ?? 3000)
const warmup = Number(process.env['WARMUP'] ?? 6000)
const selected = routesOf(spec).filter((r) => routes.length === 0 || routes.includes(r.id))
const dumps: Array<[string, number]> = []
try {
  // Routes 1–4 interleaved, as the bench's callgrind section does; route 5 is warmed up alone.
  await warmUp(
    server.port,
    routesOf(spec).filter((r) => r.id !== 'r5'),
    warmup
  )
  for (const route of selected) {
    await sendRequests(server.port, route, warmup / 4, 1)
    await run('callgrind_control', ['-z', String(server.pid)])
    await run('callgrind_control', ['-i', 'on', String(server.pid)])
    await sendRequests(server.port, route, requests, 1)
    await run('callgrind_control', ['-i', 'off', String(server.pid)])
    await run('callgrind_control', ['-d', String(server.pid)])
    const n = Math.max(
      ...readdirSync(dir)
        .filter((f) => f.startsWith('cg.'))
        .map((f) => Number(f.slice(3)))
    )
    dumps.push([route.id, n])
  }
} finally {
  await server.stop()
}
const syms = loadMap(server.pid)
const top = Number(process.env['TOP'] ?? 45)
for (const [id, n] of dumps) {
  const costs = selfCosts(`${base}.${n}`, syms)
  let total = 0
  for (const c of costs.values()) total += c
  console.log(
    `\n== ${serverId} ${id}: ${(total / requests).toFixed(0)} instr/req (self, by function)`
  )
  writeFileSync(
    join(dir, `${id}.json`),
    JSON.stringify(Object.fromEntries([...costs].map(([k, v]) => [k, v / requests])))
  )
  const rows = [...costs].sort((a, b) => b[1] - a[1]).slice(0, top)
  for (const [name, c] of rows)
    console.log(`${(c / requests).toFixed(0).padStart(8)}  ${name.slice(0, 150)}`)
}
console.log(`\ndumps in ${dir}`)
