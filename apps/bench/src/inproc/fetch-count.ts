/**
 * @module
 * In-process fetch handlers under callgrind (driven by `src/fetch-instr.ts`): `node
 * .out/inproc/fetch-count.mjs <handler> <requests> <warm-up>` warms the handler up on every route
 * (interleaved), then for each route prints `READY <route>`, waits for a `GO` line on stdin (the
 * driver zeroes the counters and turns instrumentation on), sends `requests` requests through the
 * handler, building each `Request` and reading each body, prints `DONE <route>` and waits for
 * another line (the driver switches counting off and dumps).
 *
 * With `TIME=1` and no driver it prints ns per request instead, for a quick look.
 */
import { createInterface } from 'node:readline'
import { BASE_ROUTES as ROUTES } from '../servers'
import { HANDLERS, ORIGIN } from './_fetch-handlers'

const [name = 'cycle', count = '2000', warm = '3000'] = process.argv.slice(2)
const handler = (HANDLERS as Record<string, (typeof HANDLERS)['bare'] | undefined>)[name]
if (handler === undefined) throw new Error(`unknown handler ${name}`)
const call = handler

async function once(path: string, headers: Readonly<Record<string, string>>): Promise<void> {
  const res = await call(new Request(ORIGIN + path, { headers }))
  if ((await res.text()).length === 0) throw new Error('empty body')
}

const timed = process.env['TIME'] !== undefined
const lines = timed ? null : createInterface({ input: process.stdin })[Symbol.asyncIterator]()
const n = Number(count)
for (let i = 0; i < Number(warm); i++) for (const r of ROUTES) await once(r.path, r.headers)
for (const route of ROUTES) {
  for (let i = 0; i < 500; i++) await once(route.path, route.headers)
  if (lines !== null) {
    process.stdout.write(`READY ${route.id}\n`)
    await lines.next()
  }
  const t0 = performance.now()
  for (let i = 0; i < n; i++) await once(route.path, route.headers)
  const ns = ((performance.now() - t0) * 1e6) / n
  if (lines === null) {
    process.stdout.write(`${name} ${route.id}: ${ns.toFixed(0)} ns/req\n`)
  } else {
    // Idle until the driver has switched counting off and the dump is written.
    process.stdout.write(`DONE ${route.id}\n`)
    await lines.next()
  }
}
process.exit(0)
