/**
 * The shutdown race, measured over real sockets: requests written to idle keep-alive connections
 * around the moment `close()` runs. Each must be read and answered (a 503 with
 * `Connection: close`, as every request that arrives during shutdown) or, when it crosses the
 * server's FIN on the wire, see a clean close it can retry on; never a reset.
 *
 * The tally of each run is printed (`SHUTDOWN_RACE_TRIALS` sets the number of trials); the
 * figures in docs/gateways.md ("Abort and shutdown") come from this test.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { text } from '@cycle/core'
import { closeAll, RawClient, routesApp, start } from './__fixtures__/net'

afterEach(closeAll)

const TRIALS = Number(process.env['SHUTDOWN_RACE_TRIALS'] ?? 40)
const CONNECTIONS = 4
const REQUEST = 'GET /fast HTTP/1.1\r\nhost: a\r\n\r\n'

type Outcome = 'answered' | 'closed' | 'reset' | 'unsent'

interface Tally {
  /** A full response (a 503 with `Connection: close`, or a 200). */
  answered: number
  /** Written, then a clean close (FIN) without an answer: a client retries those. */
  closed: number
  /** ECONNRESET / EPIPE: what must never happen. */
  reset: number
  /** Not written: the client had already seen the connection close. */
  unsent: number
  statuses: Record<number, number>
  /** Racing: the outcomes per delay between close() and the writes. */
  byDelay: Record<string, Partial<Record<Outcome, number>>>
}

/** What one client saw of its second request: a full response, a clean close, or a reset. */
async function outcomeOf(client: RawClient, reset: () => boolean): Promise<[Outcome, number]> {
  try {
    const res = await client.response()
    if (res.status === 503) expect(res.header('connection')).toBe('close')
    return ['answered', res.status]
  } catch {
    return [reset() ? 'reset' : 'closed', 0]
  }
}

/** How long after `close()` the racing writes go out, by trial: the window the race lives in. */
const DELAYS: readonly [string, () => Promise<void>][] = [
  ['microtask', () => Promise.resolve()],
  ['1 immediate', () => new Promise((r) => setImmediate(r))],
  ['2 immediates', () => new Promise((r) => setImmediate(() => setImmediate(r)))],
  ['timeout 0', () => new Promise((r) => setTimeout(r, 0))],
  ['timeout 1 ms', () => new Promise((r) => setTimeout(r, 1))],
]

/**
 * One trial: `CONNECTIONS` keep-alive connections each get one answer (so they are idle), then
 * each writes a second request and `close()` runs: right after the writes (`written`), or
 * before them, with the writes a little later (`racing`: a microtask to a millisecond).
 */
async function trial(when: 'written' | 'racing', tally: Tally, n: number): Promise<void> {
  const server = await start(routesApp({ '/fast': () => text('fast') }), { shutdownTimeout: 2_000 })
  const clients = await Promise.all(
    Array.from({ length: CONNECTIONS }, () => RawClient.connect(server.port))
  )
  const resets = clients.map((c) => {
    let seen = false
    c.socket.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') seen = true
    })
    return () => seen
  })
  for (const c of clients) c.write(REQUEST)
  for (const c of clients) expect((await c.response()).status).toBe(200)
  let closing: Promise<void>
  if (when === 'written') {
    for (const c of clients) c.write(REQUEST)
    closing = server.close()
  } else {
    closing = server.close()
    await (DELAYS[n % DELAYS.length] as [string, () => Promise<void>])[1]()
  }
  const sent = clients.map((c) => {
    if (when === 'racing' && c.isClosed) return false
    if (when === 'racing') c.write(REQUEST)
    return true
  })
  const outcomes = await Promise.all(
    clients.map((c, i) =>
      sent[i] ? outcomeOf(c, resets[i] as () => boolean) : (['unsent', 0] as [Outcome, number])
    )
  )
  await closing
  const delay = when === 'racing' ? (DELAYS[n % DELAYS.length] as [string, unknown])[0] : when
  const row = (tally.byDelay[delay] ??= {})
  for (const [outcome, status] of outcomes) {
    tally[outcome]++
    row[outcome] = (row[outcome] ?? 0) + 1
    if (status !== 0) tally.statuses[status] = (tally.statuses[status] ?? 0) + 1
  }
  for (const c of clients) c.destroy()
}

async function run(when: 'written' | 'racing'): Promise<Tally> {
  const tally: Tally = { answered: 0, closed: 0, reset: 0, unsent: 0, statuses: {}, byDelay: {} }
  for (let i = 0; i < TRIALS; i++) await trial(when, tally, i)
  console.info(
    `shutdown race (${when}): ${TRIALS * CONNECTIONS} requests, ${tally.answered} answered ` +
      `${JSON.stringify(tally.statuses)}, ${tally.closed} clean close after writing, ` +
      `${tally.unsent} not written (closed first), ${tally.reset} reset; ` +
      JSON.stringify(tally.byDelay)
  )
  return tally
}

describe('shutdown race on idle keep-alive connections', () => {
  it('requests already written when close() runs are all read and answered, none reset', async () => {
    const tally = await run('written')
    expect(tally.reset).toBe(0)
    expect(tally.closed).toBe(0)
    expect(tally.answered).toBe(TRIALS * CONNECTIONS)
    // The server still serves: a new one on a fresh port answers normally.
    const server = await start(routesApp({ '/fast': () => text('fast') }))
    const client = await RawClient.connect(server.port)
    client.write(REQUEST)
    expect((await client.response()).text).toBe('fast')
  }, 120_000)

  it('requests written just after close() are answered or see a clean close, never a reset', async () => {
    const tally = await run('racing')
    expect(tally.reset).toBe(0)
    expect(tally.answered + tally.closed + tally.unsent).toBe(TRIALS * CONNECTIONS)
  }, 120_000)
})
