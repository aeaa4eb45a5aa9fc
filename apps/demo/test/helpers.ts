/**
 * Test helpers: settings for tests (fast PBKDF2, no log, temp data), a temp directory, and a
 * small HTTP client that keeps the status, headers and parsed body of each answer.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadSettings, type Settings } from '../src/settings'

/** Settings for a test server: port 0, quiet, cheap hashes, debug routes on. */
export function testSettings(env: Record<string, string> = {}): Settings {
  return loadSettings({
    PORT: '0',
    CYCLE_DEMO_QUIET: '1',
    CYCLE_DEMO_PBKDF2_ITERATIONS: '1000',
    CYCLE_DEMO_DEBUG_ROUTES: '1',
    ...env,
  })
}

/** A fresh temporary directory and its cleanup. */
export function tempDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'cycle-demo-'))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

/** One answer. */
export interface Answer {
  status: number
  headers: Headers
  text: string
  /** The parsed JSON body, or `undefined` when it is not JSON. */
  body: any // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Request options of {@link Client.send}. */
export interface SendOptions {
  token?: string | null
  /** An object is sent as JSON; a string as is. */
  body?: unknown
  type?: string
  headers?: Record<string, string>
}

/** A client for one base URL (or one fetch function), remembering a bearer token. */
export class Client {
  token: string | null = null
  constructor(
    readonly base: string,
    readonly fetcher: (request: Request) => Response | Promise<Response> = (r) => fetch(r)
  ) {}

  async send(method: string, path: string, options: SendOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers }
    const token = options.token === undefined ? this.token : options.token
    if (token) headers['authorization'] = `Bearer ${token}`
    let body: string | undefined
    if (options.body !== undefined) {
      headers['content-type'] ??= options.type ?? 'application/json'
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
    }
    const res = await this.fetcher(new Request(this.base + path, { method, headers, body }))
    const text = await res.text()
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = undefined
    }
    return { status: res.status, headers: res.headers, text, body: parsed }
  }

  /** Logs in and keeps the token. */
  async login(username = 'demo', password = 'cycle-demo'): Promise<string> {
    const res = await this.send('POST', '/api/auth/token', {
      token: null,
      body: { username, password },
    })
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`)
    this.token = res.body.data.token as string
    return this.token
  }
}

/** Whether a body is an RFC 9457 problem for `status`. */
export function isProblem(answer: Answer, status: number): boolean {
  return (
    answer.status === status &&
    (answer.headers.get('content-type') ?? '').startsWith('application/problem+json') &&
    answer.body?.status === status &&
    typeof answer.body?.title === 'string' &&
    typeof answer.body?.type === 'string'
  )
}
