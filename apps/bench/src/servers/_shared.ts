/**
 * @module
 * What every server answers, in one place, so the responses can be byte-identical:
 *
 * 1. `GET /` → `text/plain` "Hello, World!";
 * 2. `GET /users/<id>` → `{"id":<id>,"name":"User <id>"}`;
 * 3. `GET /api/me` through three middlewares: request id (the incoming `x-request-id`, else a
 *    fresh UUID; echoed as a header), a bearer-token check (401 problem document otherwise) and a
 *    response envelope `{"data":…,"meta":{"requestId":…}}`, written as hand-made hooks;
 * 4. `GET /pkg/me`: the same answer, built with what each framework's users install (Cycle's
 *    `@cycle/middleware-auth` and `@cycle/middleware-format`, `@fastify/bearer-auth`,
 *    `hono/bearer-auth` and `hono/request-id`, Passport, …), configured as their docs show.
 *
 * Every server listens on 127.0.0.1, on `PORT` (default 0: any free port), and prints
 * `LISTENING <port>` once it accepts connections: the harness reads that line.
 */

/** The body of route 1. */
export const HELLO = 'Hello, World!'

/** The only token routes 3 and 4 accept (`Authorization: Bearer <TOKEN>`). */
export const TOKEN = 'bench-token-5e2c9a'

/** The `Authorization` header value that passes the check. */
export const AUTHORIZATION = `Bearer ${TOKEN}`

/** The user behind {@link TOKEN}: route 3's `data`. */
export const USER = { id: 1, name: 'Ada Lovelace' }

/** Route 4's path: the same answer as route 3's, through the packages users install. */
export const PKG_PATH = '/pkg/me'

/** Request-id header, in and out. */
export const REQUEST_ID = 'x-request-id'

/**
 * Route 3's refusal, exactly as Cycle renders `new Unauthorized(UNAUTHORIZED_DETAIL)` (RFC 9457):
 * every peer sends these bytes with this content type, a 401 and `WWW-Authenticate: Bearer`.
 */
export const UNAUTHORIZED_DETAIL = 'A valid bearer token is required.'
/** See {@link UNAUTHORIZED_DETAIL}. */
export const UNAUTHORIZED_BODY = JSON.stringify({
  type: 'about:blank',
  title: 'Unauthorized',
  status: 401,
  detail: UNAUTHORIZED_DETAIL,
})
/** See {@link UNAUTHORIZED_DETAIL}. */
export const PROBLEM_TYPE = 'application/problem+json'

/** Route 2's document for an id. */
export function userOf(id: number): { id: number; name: string } {
  return { id, name: `User ${id}` }
}

/** The incoming request id, or a fresh one. */
export function requestIdOf(incoming: string | undefined | null): string {
  return incoming || crypto.randomUUID()
}

/** Where to listen: `PORT` from the environment, else 0. */
export const PORT = Number(process.env['PORT'] ?? 0)

/** Tells the harness the server is up. */
export function announce(port: number): void {
  process.stdout.write(`LISTENING ${port}\n`)
}

/**
 * Route 5, "the real stack": request id, security headers, CORS, ETag, compression (which only
 * negotiates: the answer is below every server's 1 KiB threshold), JWT auth and the envelope,
 * each from the package that framework's users install.
 */
export const STACK_PATH = '/stack/me'

/** The HS256 secret every route-5 server verifies with (32+ bytes, as HS256 wants). */
export const JWT_SECRET = 'cycle-bench-jwt-secret-32-bytes-long!'

/**
 * A JWT signed with {@link JWT_SECRET} (HS256), made once with `node:crypto` and pasted here:
 * `{"sub":"1","name":"Ada Lovelace","iat":1767225600,"exp":4102444800}` (expires in 2100).
 */
export const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIiwibmFtZSI6IkFkYSBMb3ZlbGFjZSIsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjo0MTAyNDQ0ODAwfQ.XqlGRouPVdw_d5o8EpkOd8hBKJ13TFrkj4jU94oXV64'

/** The claims of {@link JWT} a route-5 server reads. */
export interface JwtClaims {
  sub?: string
  name?: unknown
}

/** Route 5's user, from the token's claims (the same as {@link USER}). */
export function userOfClaims(claims: JwtClaims): { id: number; name: string } {
  return { id: Number(claims.sub), name: String(claims.name) }
}

/** The one CORS origin route 5 allows (the probe sends it). */
export const ALLOWED_ORIGIN = 'https://app.example'

/** Route 5's Content-Security-Policy, which every package can write. */
export const CSP = "default-src 'self'"

/**
 * The security headers route 5 compares (every package's defaults, or set to these values), in
 * lower case. HSTS is left out: Cycle sends it only on HTTPS requests (RFC 6797 §7.2), the bench
 * speaks plain HTTP.
 */
export const STACK_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'SAMEORIGIN',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'content-security-policy': CSP,
}
