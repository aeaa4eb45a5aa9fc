// kill -9 of the demo while notes are being written, twice over one data directory: the SQLite
// file passes its integrity check after each crash, the demo restarts on it, and every note that
// was acknowledged with a 201 before the kill is still there, unchanged (lost = 0). Writes whose
// answer never arrived may or may not be stored: both are fine, and both are counted.
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { Client, tempDir, testSettings } from '../test/helpers'
import { startNodeDemo } from './node'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const entry = fileURLToPath(new URL('./server.node.ts', import.meta.url))
const SECRET = 'crash-test-secret-that-is-32-bytes!!'
const WRITERS = 16
const ACKS_BEFORE_KILL = 120

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  while (cleanups.length) await (cleanups.pop() as () => unknown)()
})

/** The demo's own entry (`pnpm demo`) in a child process; resolves with its URL. */
async function spawnDemo(data: string): Promise<{ url: string; child: ChildProcess }> {
  const env = {
    ...process.env,
    PORT: '0',
    CYCLE_DEMO_DATA: data,
    CYCLE_DEMO_QUIET: '1',
    CYCLE_DEMO_PBKDF2_ITERATIONS: '1000',
    CYCLE_DEMO_JWT_SECRET: SECRET,
  }
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@cycle/source', entry], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  cleanups.push(() =>
    child.exitCode === null && child.signalCode === null ? child.kill('SIGKILL') : 0
  )
  let out = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo did not start: ${out}`)), 30_000)
    const seen = (chunk: Buffer): void => {
      out += chunk.toString()
      const found = /Cycle Inspector\s+(http:\/\/\S+?)\/\s/.exec(out)
      if (found) {
        clearTimeout(timer)
        resolve(found[1] as string)
      }
    }
    child.stdout?.on('data', seen)
    child.stderr?.on('data', seen)
    child.once('exit', () => reject(new Error(`the demo exited: ${out}`)))
  })
  return { url, child }
}

interface Acked {
  id: string
  title: string
  body: string
}

/** One round of writing: what was acknowledged (201) and what never got an answer. */
interface Round {
  acked: Acked[]
  unanswered: number
  killed: boolean
}

/** WRITERS clients write notes back to back until the process is killed. */
function write(client: Client, n: number, round: Round): Promise<unknown> {
  return Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; ; i++) {
        const fields = { title: `r${n}-w${w}-${i}`, body: `${'x'.repeat(200)} ${i}` }
        let res: Awaited<ReturnType<Client['send']>>
        try {
          res = await client.send('POST', '/api/notes', { body: fields })
        } catch (error) {
          if (!round.killed) throw error
          round.unanswered++ // in flight when the process died: no answer, no promise made
          return
        }
        expect(res.status).toBe(201)
        round.acked.push({ id: res.body.data.id as string, ...fields })
      }
    })
  )
}

function integrity(file: string): string {
  const db = new Database(file, { readonly: true })
  try {
    return db.pragma('integrity_check', { simple: true }) as string
  } finally {
    db.close()
  }
}

const until = async (predicate: () => boolean): Promise<void> => {
  while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 5))
}

describe('kill -9 mid-write', () => {
  it('keeps every acknowledged note and an intact database across two crashes', async () => {
    const dir = tempDir()
    cleanups.push(() => dir.remove())
    const file = join(dir.path, 'demo.sqlite')
    const acked: Acked[] = []
    let unanswered = 0
    for (const n of [1, 2]) {
      const demo = await spawnDemo(dir.path)
      const client = new Client(demo.url)
      await client.login()
      const exited = new Promise<void>((resolve) => demo.child.once('exit', () => resolve()))
      const round: Round = { acked: [], unanswered: 0, killed: false }
      const writing = write(client, n, round)
      // Killed once enough notes are acknowledged, while every writer has a request in flight.
      await until(() => round.acked.length >= ACKS_BEFORE_KILL)
      round.killed = true
      demo.child.kill('SIGKILL')
      await exited
      await writing
      expect(demo.child.signalCode).toBe('SIGKILL')
      expect(round.unanswered).toBe(WRITERS)
      expect(integrity(file)).toBe('ok')
      acked.push(...round.acked)
      unanswered += round.unanswered
    }

    // Restart on the same file and read every acknowledged note back.
    const running = await startNodeDemo(
      testSettings({ CYCLE_DEMO_DATA: dir.path, CYCLE_DEMO_JWT_SECRET: SECRET })
    )
    cleanups.push(() => running.close())
    const store = running.demo.store
    const owner = (await store.findUserByUsername('demo'))?.id as string
    const page = await store.listNotes(owner, { limit: 100_000, offset: 0 })
    const stored = new Map(page.items.map((note) => [note.id, note]))
    const lost = acked.filter((a) => {
      const note = stored.get(a.id)
      return note === undefined || note.title !== a.title || note.body !== a.body
    })
    expect(acked.length).toBeGreaterThanOrEqual(2 * ACKS_BEFORE_KILL)
    expect(lost).toEqual([])
    // Each unanswered write is stored or not; nothing else is.
    expect(stored.size).toBeGreaterThanOrEqual(acked.length)
    expect(stored.size).toBeLessThanOrEqual(acked.length + unanswered)
    // And the restarted demo serves them.
    const client = new Client(running.url)
    await client.login()
    const last = acked[acked.length - 1] as Acked
    const read = await client.send('GET', `/api/notes/${last.id}`)
    expect(read.body.data).toMatchObject({ title: last.title, body: last.body })
  })
})
