/**
 * @module
 * The demo's settings, Django-style: every knob read from the environment in one place, and the
 * middleware stack (Django's `MIDDLEWARE`) as one ordered list.
 *
 * No `node:*` here: the fetch entry (workerd, Deno, Bun) loads this module too.
 */
import { ImproperlyConfigured, type StateOf } from '@cycle/core'
import { authenticate, jwtBackend } from '@cycle/middleware-auth'
import { format } from '@cycle/middleware-format'
import { accessLog, type AccessLogEntry } from './middleware/access-log'
import { requestId } from './middleware/request-id'
import { DEFAULT_ITERATIONS } from './passwords'
import type { Store } from './store/types'

/** Everything configurable about the demo. */
export interface Settings {
  /** Address to bind (`HOST`, default `127.0.0.1`). */
  host: string
  /** Port (`PORT`, default 3000; 0 picks a free one). */
  port: number
  /** Directory of the SQLite file (`CYCLE_DEMO_DATA`); `null` means the entry's default. */
  dataDir: string | null
  /** `sqlite` (default on Node) or `memory` (`CYCLE_DEMO_STORE`). */
  store: 'sqlite' | 'memory'
  /** The seeded user (`CYCLE_DEMO_USER`, default `demo`). */
  demoUser: string
  /** Its password (`CYCLE_DEMO_PASSWORD`, default `cycle-demo`); updated at start if changed. */
  demoPassword: string
  /** HS256 secret for access tokens (`CYCLE_DEMO_JWT_SECRET`, ≥ 32 bytes); random per process if unset. */
  jwtSecret: string
  /** Whether {@link Settings.jwtSecret} came from the environment. */
  jwtSecretFromEnv: boolean
  /** Access token lifetime in seconds (`CYCLE_DEMO_TOKEN_TTL`, default 3600). */
  tokenTtl: number
  /** Host names served; others get 400 (loopback names plus `CYCLE_DEMO_ALLOWED_HOSTS`). */
  allowedHosts: string[]
  /** `/api/debug/boom` (a deliberate 500) exists (`CYCLE_DEMO_DEBUG_ROUTES`; default on loopback). */
  debugRoutes: boolean
  /** Core's debug pages with stacks (`CYCLE_DEMO_DEBUG=1`). Never on a public address. */
  debug: boolean
  /** PBKDF2 iterations for new password hashes (`CYCLE_DEMO_PBKDF2_ITERATIONS`). */
  passwordIterations: number
  /** No access log lines (`CYCLE_DEMO_QUIET=1`). */
  quiet: boolean
  /** Body size limit of the notes API in bytes (`CYCLE_DEMO_BODY_LIMIT`, default 64 KiB). */
  bodyLimit: number
}

/** The names a browser or curl uses for this machine. */
export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]']

/** JWT issuer and realm, shared by the login view and the backend. */
export const ISSUER = 'cycle-demo'

type Env = Readonly<Record<string, string | undefined>>

function flag(env: Env, name: string, fallback: boolean): boolean {
  const v = env[name]
  if (v === undefined || v === '') return fallback
  if (/^(1|true|yes|on)$/i.test(v)) return true
  if (/^(0|false|no|off)$/i.test(v)) return false
  throw new ImproperlyConfigured(
    'ERR_BAD_OPTION',
    `${name} must be 1 or 0, got ${JSON.stringify(v)}.`
  )
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const v = env[name]
  if (v === undefined || v === '') return fallback
  const n = Number(v)
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ImproperlyConfigured(
      'ERR_BAD_OPTION',
      `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}.`
    )
  }
  return n
}

function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * Reads the settings from environment variables (`process.env`, a Worker's `env`, `Deno.env`).
 * Throws `ImproperlyConfigured` with the variable's name on a bad value, at start-up.
 *
 * @example
 * ```ts
 * const settings = loadSettings(process.env)
 * ```
 */
export function loadSettings(env: Env = {}): Settings {
  const host = env['HOST'] || '127.0.0.1'
  const secret = env['CYCLE_DEMO_JWT_SECRET']
  if (secret !== undefined && secret !== '' && new TextEncoder().encode(secret).length < 32) {
    throw new ImproperlyConfigured(
      'ERR_BAD_OPTION',
      'CYCLE_DEMO_JWT_SECRET must be at least 32 bytes (HS256).'
    )
  }
  const store = env['CYCLE_DEMO_STORE'] || 'sqlite'
  if (store !== 'sqlite' && store !== 'memory') {
    throw new ImproperlyConfigured(
      'ERR_BAD_OPTION',
      `CYCLE_DEMO_STORE must be sqlite or memory, got ${JSON.stringify(store)}.`
    )
  }
  const extraHosts = (env['CYCLE_DEMO_ALLOWED_HOSTS'] ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '')
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(host)
  const user = env['CYCLE_DEMO_USER'] || 'demo'
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(user)) {
    throw new ImproperlyConfigured(
      'ERR_BAD_OPTION',
      'CYCLE_DEMO_USER must be 1–64 letters, digits, dots, dashes or underscores.'
    )
  }
  return {
    host,
    port: int(env, 'PORT', 3000, 0, 65535),
    dataDir: env['CYCLE_DEMO_DATA'] || null,
    store,
    demoUser: user,
    demoPassword: env['CYCLE_DEMO_PASSWORD'] || 'cycle-demo',
    jwtSecret: secret || randomSecret(),
    jwtSecretFromEnv: Boolean(secret),
    tokenTtl: int(env, 'CYCLE_DEMO_TOKEN_TTL', 3600, 10, 30 * 24 * 3600),
    allowedHosts: [...LOOPBACK_HOSTS, ...extraHosts],
    debugRoutes: flag(env, 'CYCLE_DEMO_DEBUG_ROUTES', loopback),
    debug: flag(env, 'CYCLE_DEMO_DEBUG', false),
    passwordIterations: int(env, 'CYCLE_DEMO_PBKDF2_ITERATIONS', DEFAULT_ITERATIONS, 1, 10_000_000),
    quiet: flag(env, 'CYCLE_DEMO_QUIET', false),
    bodyLimit: int(env, 'CYCLE_DEMO_BODY_LIMIT', 64 * 1024, 1, 16 * 1024 * 1024),
  }
}

/** The user views see on `request.state.user` once authenticated. */
export interface DemoUser {
  id: string
  username: string
}

/** What the middleware stack needs from the rest of the app. */
export interface MiddlewareDeps {
  store: Store
  /** Paths the access log leaves out (the inspector's own traffic). */
  skipLog?: (method: string, path: string) => boolean
  /** Access log sink; default `console.log`. */
  log?: (entry: AccessLogEntry) => void
}

/**
 * The middleware stack, outermost first (Django's `MIDDLEWARE`):
 *
 * 1. `requestId`: an id on every request and response (the demo's own middleware);
 * 2. `accessLog`: one line per request, with the final status (the demo's own);
 * 3. `authenticate`: a JWT bearer token becomes `request.state.user` (a bad token is refused
 *    here, with a 401 problem and `WWW-Authenticate: Bearer error="invalid_token"`);
 * 4. `format`: `{ data, meta }` envelopes and problem documents.
 *
 * Response hooks run in reverse, so `format` shapes the answer first and `accessLog` logs the
 * final status. A request that authentication turns back never reaches `format` (Django's rule:
 * only middlewares that ran see the response); its 401 is core's problem document, the same
 * shape `format` gives. Route guards (`requireAuth`) and validation (`validate`) are
 * route-scoped, in `urls.ts`.
 */
export function middlewareStack(settings: Settings, deps: MiddlewareDeps) {
  const { store } = deps
  return [
    requestId(),
    accessLog({
      log: settings.quiet ? () => {} : deps.log,
      skip: deps.skipLog,
    }),
    authenticate({
      backends: [
        jwtBackend({
          secret: settings.jwtSecret,
          algorithms: ['HS256'],
          issuer: ISSUER,
          realm: ISSUER,
          // A token outlives nothing: a user deleted since it was issued is refused.
          toUser: async (payload): Promise<DemoUser | null> => {
            const user =
              typeof payload.sub === 'string' ? await store.findUserById(payload.sub) : null
            return user === null ? null : { id: user.id, username: user.username }
          },
        }),
      ],
    }),
    format(),
  ] as const
}

/** The typed request state every view sees. */
export type State = StateOf<ReturnType<typeof middlewareStack>>
