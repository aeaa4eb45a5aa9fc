/**
 * @module
 * `pnpm soak`: starts the soak server in its own process, runs the soak, prints a table, writes
 * the summary JSON, and exits non-zero on any unexpected answer, lost request or crash.
 *
 * ```sh
 * pnpm soak                       # 120 s at 100 connections
 * pnpm soak --duration 600        # ten minutes
 * pnpm soak --cases               # each case once, with what it got (no load)
 * pnpm soak --seed 7 --connections 50 --out /tmp/soak.json
 * ```
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { signJwt } from '@cycle/middleware-auth'
import { GOOD, HOSTILE } from './cases'
import { startSoakServer } from './child'
import { judge } from './judge'
import { exchange } from './raw'
import { runSoak } from './run'
import { formatSummary } from './summary'
import { SOAK_SECRET } from './target'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '120' },
    connections: { type: 'string', default: '100' },
    seed: { type: 'string', default: '12' },
    out: { type: 'string' },
    cases: { type: 'boolean', default: false },
  },
})

const server = await startSoakServer()
let failed = false
try {
  if (values.cases) {
    const token = await signJwt({ sub: 'soak' }, { secret: SOAK_SECRET, algorithm: 'HS256' })
    const ctx = { host: `127.0.0.1:${server.port}`, token, timeouts: server.timeouts }
    for (const [cls, list] of [
      ['good', GOOD],
      ...HOSTILE.map((h) => [h.name, h.cases] as const),
    ] as const) {
      for (const c of list) {
        const ex = c.exchange(ctx)
        const outcome = await exchange(server.port, ex)
        const reason = judge(c, outcome, ex.responses ?? 1)
        if (reason !== null) failed = true
        const got = [
          outcome.statuses.join(','),
          outcome.error ?? (outcome.statuses.length ? '' : 'closed'),
        ]
          .filter(Boolean)
          .join(' ')
        console.log(
          `${reason === null ? 'ok ' : 'BAD'} ${cls.padEnd(17)} ${c.name.padEnd(46)} ${got.padEnd(
            18
          )} ${Math.round(outcome.ms)} ms${reason === null ? '' : `  ${reason}`}`
        )
      }
    }
  } else {
    const durationMs = Number(values.duration) * 1000
    console.log(
      `soak: ${values.duration} s at ${values.connections} connections against 127.0.0.1:${server.port}`
    )
    const summary = await runSoak(server, {
      durationMs,
      connections: Number(values.connections),
      seed: Number(values.seed),
      onTick: (s) => {
        const rss = (s.rss.samples[s.rss.samples.length - 1] ?? 0) / 1024 / 1024
        process.stdout.write(
          `\r  ${s.requests.total} exchanges, ${s.unexpected} unexpected, RSS ${rss.toFixed(
            1
          )} MiB   `
        )
      },
    })
    console.log(`\n\n${formatSummary(summary)}`)
    const here = dirname(fileURLToPath(import.meta.url))
    const out =
      values.out ??
      join(here, '..', 'results', `soak-${summary.startedAt.replace(/[:.]/g, '-')}.json`)
    mkdirSync(dirname(out), { recursive: true })
    writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`)
    console.log(`\nsummary: ${out}`)
    failed =
      summary.unexpected > 0 || summary.lost > 0 || summary.crashes > 0 || !summary.stillServing
  }
} finally {
  await server.stop()
}
process.exitCode = failed ? 1 : 0
