/**
 * @module
 * The default entry: `pnpm demo` (or `pnpm --filter @cycle/demo start`). Serves the notes API and
 * the Cycle Inspector with `@cycle/gateway-node`, and prints where to go and how to log in.
 */
import { loadSettings } from './settings'
import { DEFAULT_DATA_DIR, startNodeDemo } from './node'

const settings = loadSettings(process.env)
const shutdown = new AbortController()
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`\n${signal}: finishing in-flight requests, then closing the database…`)
    shutdown.abort()
  })
}

const running = await startNodeDemo(settings, { signal: shutdown.signal })
// A wildcard bind address is not something a browser can open; loopback is always there.
const wildcard = settings.host === '0.0.0.0' || settings.host === '::'
const page = wildcard ? `http://localhost:${running.server.port}/` : `${running.url}/`
const where =
  running.databaseFile === null ? 'in memory (CYCLE_DEMO_STORE=memory)' : running.databaseFile
const credentials = JSON.stringify({ username: settings.demoUser, password: settings.demoPassword })

console.log(`
Cycle demo: a notes API over SQLite, served by @cycle/gateway-node

  Cycle Inspector  ${page}
  Log in as        ${settings.demoUser} / ${settings.demoPassword}
  Database         ${where}${settings.dataDir === null && running.databaseFile !== null ? `  (CYCLE_DEMO_DATA to move it; default ${DEFAULT_DATA_DIR})` : ''}
  Debug routes     ${settings.debugRoutes ? 'on (/api/debug/boom answers 500)' : 'off'}

  Try:  curl -s -X POST ${page}api/auth/token -H 'content-type: application/json' -d '${credentials}'

Press Ctrl+C to stop.
`)
console.log(running.demo.app.describe())
console.log('')
