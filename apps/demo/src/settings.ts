/**
 * @module
 * The demo's settings, Django-style: every knob read from the environment in one place, and the
 * middleware stack (Django's `MIDDLEWARE`) as one ordered list.
 *
 * No `node:*` here: the fetch entry (workerd, Deno, Bun) loads this module too.
 */
import { defineMiddleware, ImproperlyConfigured, type StateOf } from '@cycle/core'
import { authenticate, jwtBackend } from '@cycle/middleware-auth'
import { compress } from '@cycle/middleware-compress'
import { conditional } from '@cycle/middleware-conditional'
import { cors } from '@cycle/middleware-cors'
import { addMeta, format } from '@cycle/middleware-format'
import { observe, type AccessLogRecord } from '@cycle/middleware-observe'
import { csrf, securityHeaders } from '@cycle/middleware-security'
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
  /**
   * Origins whose scripts may call the API cross-origin (`CYCLE_DEMO_CORS_ORIGINS`,
   * comma-separated, e.g. `http://localhost:5173`). Default none: the Inspector is same-origin.
   */
  corsOrigins: string[]
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
  const corsOrigins = (env['CYCLE_DEMO_CORS_ORIGINS'] ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '')
    .map((o) => {
      let url: URL | null = null
      try {
        url = new URL(o)
      } catch {
        url = null
      }
      if (url === null || !/^https?:$/.test(url.protocol) || url.origin !== o.replace(/\/$/, '')) {
        throw new ImproperlyConfigured(
          'ERR_BAD_OPTION',
          `CYCLE_DEMO_CORS_ORIGINS: ${JSON.stringify(o)} is not an origin (scheme://host[:port]).`
        )
      }
      return url.origin
    })
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
    corsOrigins,
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
  /** Access log sink; default one line per request on `console.log` ({@link formatAccessLog}). */
  log?: (record: AccessLogRecord) => void
}

/** The default line: `GET /api/notes → 200 1.2 ms id=… (Error: boom)`. */
export function formatAccessLog(r: AccessLogRecord): string {
  const id = r.requestId === undefined ? '' : ` id=${r.requestId}`
  const error = r.error === undefined ? '' : ` (${r.error.name}: ${r.error.message})`
  return `${r.method} ${r.path} → ${r.status} ${r.durationMs.toFixed(1)} ms${id}${error}`
}

/**
 * Puts observe's request id in the envelope's `meta` (`{ data, meta: { requestId } }`):
 * middleware-observe knows nothing of middleware-format, so this two-line bridge is the demo's.
 */
export function requestIdMeta() {
  return defineMiddleware<object, { requestId?: string }>({
    name: 'requestIdMeta',
    request(request) {
      const id = request.state.requestId
      if (id !== undefined) addMeta(request, { requestId: id })
    },
  })
}

/**
 * The Content-Security-Policy of every answer. The Inspector page's inline `<style>` and
 * `<script>` carry the per-request nonce (`request.state.cspNonce`); nothing else runs, and the
 * page talks only to this origin. JSON answers get the same policy, which costs nothing.
 */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  connectSrc: ["'self'"],
  imgSrc: ['data:'],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
}

/**
 * The middleware stack, outermost first (Django's `MIDDLEWARE`), in the recommended order:
 *
 * 1. `observe`: request id (`X-Request-Id`), W3C trace context, `Server-Timing` (total only:
 *    the per-phase metrics would name the middlewares to any client) and the access log; first,
 *    so its response hook sees the final answer;
 * 2. `requestIdMeta`: the request id in the envelope's `meta` (the demo's bridge to `format`);
 * 3. `securityHeaders`: `nosniff`, `X-Frame-Options`, COOP/CORP, `Referrer-Policy`, HSTS on
 *    HTTPS, and the CSP with a per-request nonce the Inspector page uses;
 * 4. `cors`: the API for the origins in `CYCLE_DEMO_CORS_ORIGINS` (none by default), with the
 *    headers a notes client needs (`If-Match`, `ETag`…); answers preflights before auth;
 * 5. `compress`: br or gzip for answers over 1 KiB (the notes list, the Inspector page), outside
 *    `conditional` so the tag is made from the identity body and turned weak once compressed;
 * 6. `conditional`: an `ETag` on every GET answer and 304s for `If-None-Match`;
 *    `precondition()` on the note routes (in `urls.ts`) gives 412 on a stale `If-Match`;
 * 7. `format`: `{ data, meta }` envelopes and problem documents;
 * 8. `csrf`: an unsafe request a browser marks cross-site is refused (403). The API is
 *    bearer-only and sets no cookie, so this is cheap defence in depth, not the main guard;
 * 9. `authenticate`: a JWT bearer token becomes `request.state.user` (a bad token is refused
 *    here, with a 401 problem and `WWW-Authenticate: Bearer error="invalid_token"`).
 *
 * Response hooks run in reverse, so `format` shapes the answer first, `conditional` tags the
 * final body and `observe` logs the final status. Route guards (`requireAuth`), validation
 * (`validate`) and preconditions are route-scoped, in `urls.ts`.
 */
export function middlewareStack(settings: Settings, deps: MiddlewareDeps) {
  const { store } = deps
  const skip = deps.skipLog
  const log = deps.log ?? ((r: AccessLogRecord) => console.log(formatAccessLog(r)))
  const origins = new Set(settings.corsOrigins)
  return [
    observe({
      serverTiming: { phases: false },
      accessLog: settings.quiet
        ? false
        : {
            sink: log,
            stack: false,
            ...(skip === undefined
              ? {}
              : { skip: (request) => skip(request.method, request.path) }),
          },
    }),
    requestIdMeta(),
    securityHeaders({ contentSecurityPolicy: { directives: CSP_DIRECTIVES, nonce: true } }),
    cors({
      origin: (origin) => origins.has(origin),
      allowedHeaders: [
        'Accept',
        'Authorization',
        'Content-Type',
        'If-Match',
        'If-None-Match',
        'X-Request-Id',
      ],
      exposedHeaders: ['ETag', 'Location', 'WWW-Authenticate', 'X-Request-Id'],
    }),
    compress(),
    conditional(),
    format(),
    csrf(),
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
  ] as const
}

/** The typed request state every view sees. */
export type State = StateOf<ReturnType<typeof middlewareStack>>
