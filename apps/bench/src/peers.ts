/**
 * @module
 * How each server is written, against its own docs: the data behind the report's "Peers, as their
 * docs write them" section, and the differences from the reference answer the identity check
 * accepts on route 4 (where a package cannot send route 3's exact bytes).
 */

/** A difference from the reference answer that the identity check lets through. */
export interface AcceptedDifference {
  /** The check probe (`r4-none`, `r4-bad`, …). */
  readonly probe: string
  /**
   * What may differ: `detail`, the problem document's `detail` member (the rest of the document
   * must match); `challenge`, a 401 without a `WWW-Authenticate` header; `refusal`, a 401 whose
   * media type, body and challenge are the package's own (status and request id must match);
   * `encoding`, a compressed body (compared once decoded) where the others send it as is.
   */
  readonly field: 'detail' | 'challenge' | 'refusal' | 'encoding'
  /** Why, for the report. */
  readonly why: string
}

/** A documentation page a server follows. */
export interface DocLink {
  readonly title: string
  readonly url: string
}

/** One server's note. */
export interface PeerNote {
  /** Server ids this note covers (`fastify` and `fastify-schema` share one). */
  readonly ids: readonly string[]
  /** Name in the report. */
  readonly name: string
  /** Routes 1–3: how they are written, and what changed after the review. */
  readonly routes: string
  /** Route 4: the packages and how they are configured. */
  readonly packages: string
  /** Route 5 (the real stack), for the servers that serve it: the packages and their options. */
  readonly stack?: string
  /** The docs followed. */
  readonly docs: readonly DocLink[]
  /** Differences the identity check accepts (routes 4 and 5 only). */
  readonly accepted: readonly AcceptedDifference[]
}

/** Every server but the raw floor, in the report's order. */
export const PEER_NOTES: readonly PeerNote[] = [
  {
    ids: ['cycle', 'cycle-schema'],
    name: 'Cycle',
    routes:
      "Route 3: three hook middlewares (`defineMiddleware`) on an `include('api/', …)`, the envelope in a `render` hook, as core's README writes them.",
    packages:
      "Route 4: `format({ meta })` first (the `meta` option hands the request id to the envelope, format's README \"Metadata\"), `requestId()` of `@cycle/middleware-observe` (a valid incoming `X-Request-Id` kept, else a UUID; the package, not a hand-written hook, since it exists), `authenticate({ backends: [bearerBackend({ verify })] })` with `timingSafeEqual()`, and the `requireAuth({ message })` guard on the route; all on an `include('pkg/', …)`.",
    stack:
      "Route 5: on an `include('stack/', …)`, in docs/middleware-order.md's order: `requestId()` of `@cycle/middleware-observe` (handed to the envelope by `format({ meta })`), `securityHeaders({ frameOptions: 'SAMEORIGIN', contentSecurityPolicy: { directives: { defaultSrc: [\"'self'\"] } } })`, `cors({ origin: ['https://app.example'], credentials: true })`, `compress()` (below its 1 KiB threshold here: negotiation only), `conditional()` (strong ETag hashed from the rendered body), `format()` and `authenticate({ backends: [jwtBackend({ secret, algorithms: ['HS256'], toUser })] })`, with `requireAuth({ message })` on the route. `Strict-Transport-Security` is sent on HTTPS requests only (RFC 6797 §7.2), so not on the bench's plain HTTP; the check does not compare it.",
    docs: [
      { title: '@cycle/core README', url: '../../../packages/core/README.md' },
      {
        title: '@cycle/middleware-auth README',
        url: '../../../packages/middleware-auth/README.md',
      },
      {
        title: '@cycle/middleware-format README',
        url: '../../../packages/middleware-format/README.md',
      },
      {
        title: '@cycle/middleware-security README',
        url: '../../../packages/middleware-security/README.md',
      },
      {
        title: '@cycle/middleware-cors README',
        url: '../../../packages/middleware-cors/README.md',
      },
      {
        title: '@cycle/middleware-conditional README',
        url: '../../../packages/middleware-conditional/README.md',
      },
    ],
    accepted: [
      {
        probe: 'r4-bad',
        field: 'detail',
        why: 'a wrong token is refused by `bearerBackend` with RFC 6750\'s `invalid_token`: detail "The access token is invalid." and `Bearer error="invalid_token", error_description="…"` (route 3 says the token is required)',
      },
      {
        probe: 'r5-bad',
        field: 'detail',
        why: '`jwtBackend` says why the token was refused: detail "The token is malformed." with `Bearer error="invalid_token"`',
      },
    ],
  },
  {
    ids: ['fastify', 'fastify-schema'],
    name: 'Fastify',
    routes:
      'Route 3: `onRequest` and `preSerialization` hooks in an encapsulated `/api` plugin (the hook the Hooks reference gives for auth: before the body is parsed). Changed: the 401 is sent as an object that Fastify serializes (the envelope hook now wraps only 200s) instead of pre-encoded bytes.',
    packages:
      "Route 4: the core plugin `@fastify/bearer-auth` (listed under Core in Fastify's Ecosystem page; it adds its own `onRequest` hook and compares keys in constant time) rather than a hand-written hook, its 401 body and type set with its `errorResponse` and `contentType` options; request ids from the `requestIdHeader` server option with `setGenReqId()` scoped to the `/pkg` plugin (UUIDs there, Fastify's counter elsewhere), echoed from an `onRequest` hook; the envelope in `preSerialization`.",
    docs: [
      { title: 'Hooks', url: 'https://fastify.dev/docs/latest/Reference/Hooks/' },
      {
        title: 'Server: requestIdHeader, genReqId, setGenReqId',
        url: 'https://fastify.dev/docs/latest/Reference/Server/#requestidheader',
      },
      { title: '@fastify/bearer-auth', url: 'https://github.com/fastify/fastify-bearer-auth' },
      { title: '@fastify/helmet', url: 'https://github.com/fastify/fastify-helmet' },
      { title: '@fastify/cors', url: 'https://github.com/fastify/fastify-cors' },
      { title: '@fastify/etag', url: 'https://github.com/fastify/fastify-etag' },
      { title: '@fastify/compress', url: 'https://github.com/fastify/fastify-compress' },
      { title: '@fastify/jwt', url: 'https://github.com/fastify/fastify-jwt' },
      {
        title: 'Plugins guide (encapsulation)',
        url: 'https://fastify.dev/docs/latest/Guides/Plugins-Guide/',
      },
      { title: 'Ecosystem (core plugins)', url: 'https://fastify.dev/ecosystem/' },
      {
        title: 'Validation and Serialization (response schemas)',
        url: 'https://fastify.dev/docs/latest/Reference/Validation-and-Serialization/',
      },
    ],
    accepted: [
      {
        probe: 'r4-none',
        field: 'challenge',
        why: '`@fastify/bearer-auth` sends no `WWW-Authenticate` header with its 401 (RFC 9110 §15.5.2 asks for one)',
      },
      {
        probe: 'r4-bad',
        field: 'challenge',
        why: 'same: no `WWW-Authenticate` header from `@fastify/bearer-auth`',
      },
      {
        probe: 'r5-none',
        field: 'refusal',
        why: "`@fastify/jwt`'s own 401: Fastify's error JSON (`application/json`, `{statusCode, code: 'FST_JWT_NO_AUTHORIZATION_IN_HEADER', error, message}`), no `WWW-Authenticate`",
      },
      {
        probe: 'r5-bad',
        field: 'refusal',
        why: "same, with `code: 'FST_JWT_AUTHORIZATION_TOKEN_INVALID'`",
      },
    ],
  },
  {
    ids: ['hono'],
    name: 'Hono (@hono/node-server)',
    routes:
      "Changed after the review: `c.json()` now sends its own `application/json` (the bench passed an explicit `content-type` header to every call), and route 3's request id is set with `c.header()` before `await next()`, as Hono's own `requestId()` does (after `next()`, `c.header()` rebuilt the finished Response). The envelope stays a helper a middleware puts on the context (the docs' \"Extending the Context in Middleware\"): Hono has no response-data stage.",
    packages:
      "Route 4: the built-in `requestId({ headerName })` and `bearerAuth({ token })` on `app.use('/pkg/*', …)`; the 401 is the same problem document through `bearerAuth`'s `noAuthenticationHeader`/`invalidToken` `message` option (typed to accept a `Response`), with `wwwAuthenticateHeader: 'Bearer'` for the missing token. `bearerAuth` compares tokens in constant time by hashing both (SHA-256 through crypto.subtle unless its `hashFunction` option says otherwise).",
    stack:
      "Route 5: on `app.use('/stack/*', …)`, `requestId({ headerName })`, `secureHeaders({ contentSecurityPolicy: { defaultSrc: [\"'self'\"] } })` (its defaults give the other headers), `cors({ origin: 'https://app.example', credentials: true })`, `compress()`, `etag()` (a weak tag) and `jwt({ secret, alg: 'HS256' })`, the claims read from `c.var.jwtPayload`.",
    docs: [
      { title: 'Middleware guide', url: 'https://hono.dev/docs/guides/middleware' },
      { title: 'Context: json, header, set/get', url: 'https://hono.dev/docs/api/context' },
      {
        title: 'Bearer Auth middleware',
        url: 'https://hono.dev/docs/middleware/builtin/bearer-auth',
      },
      {
        title: 'Request ID middleware',
        url: 'https://hono.dev/docs/middleware/builtin/request-id',
      },
      {
        title: 'Secure Headers middleware',
        url: 'https://hono.dev/docs/middleware/builtin/secure-headers',
      },
      { title: 'CORS middleware', url: 'https://hono.dev/docs/middleware/builtin/cors' },
      { title: 'ETag middleware', url: 'https://hono.dev/docs/middleware/builtin/etag' },
      { title: 'Compress middleware', url: 'https://hono.dev/docs/middleware/builtin/compress' },
      { title: 'JWT Auth middleware', url: 'https://hono.dev/docs/middleware/builtin/jwt' },
    ],
    accepted: [
      {
        probe: 'r5',
        field: 'encoding',
        why: '`compress()` gzips the 73-byte answer: a `c.json()` body has no `Content-Length`, so its 1 KiB threshold does not apply (the body matches once decoded; its instruction count includes the gzip)',
      },
      {
        probe: 'r5-none',
        field: 'refusal',
        why: '`jwt()`\'s own 401: `text/plain` "Unauthorized" (gzipped too), with `WWW-Authenticate: Bearer realm=…, error="invalid_request"`',
      },
      {
        probe: 'r5-bad',
        field: 'refusal',
        why: 'same, with `error="invalid_token"`',
      },
    ],
  },
  {
    ids: ['h3'],
    name: 'h3 v2 (srvx node)',
    routes:
      "Changed after the review: route 1 returns the string and lets h3 type it (the bench set `text/plain;charset=UTF-8` by hand); route 3's request-id and token middlewares return nothing to go on (h3's middleware guide) instead of an `async` function calling `next()`. The envelope middleware awaits `next()` and wraps the handler's value.",
    packages:
      "Route 4: h3 ships `basicAuth()`/`requireBasicAuth()` but no bearer-token or request-id middleware, and its docs name no package for them: route 4 runs route 3's middlewares on `/pkg/**`.",
    docs: [
      { title: 'Middleware', url: 'https://h3.dev/guide/basics/middleware' },
      { title: 'Response handling', url: 'https://h3.dev/guide/basics/response' },
      { title: 'Auth utilities', url: 'https://h3.dev/utils/security' },
    ],
    accepted: [],
  },
  {
    ids: ['koa'],
    name: 'Koa + @koa/router',
    routes:
      "Route 3: async middlewares on a prefixed router, `ctx.state`, the envelope rewrapping `ctx.body` after `await next()`: as Koa's guide writes middleware. Unchanged.",
    packages:
      "Route 4: `koa-requestid` (header and exposed name `x-request-id`, query string off) and Passport through `koa-passport` with `passport-http-bearer` (`session: false`, `failWithError: true`), the token looked up in a map as Passport's README looks it up in a store; an upstream `try { await next() } catch` middleware (Koa's error-handling guide) answers the refusal with the problem document, keeping Passport's challenge.",
    docs: [
      {
        title: 'Koa guide (middleware)',
        url: 'https://github.com/koajs/koa/blob/master/docs/guide.md',
      },
      {
        title: 'Koa error handling',
        url: 'https://github.com/koajs/koa/blob/master/docs/error-handling.md',
      },
      { title: 'koa-passport', url: 'https://github.com/rkusa/koa-passport' },
      {
        title: 'passport-http-bearer',
        url: 'https://www.passportjs.org/packages/passport-http-bearer/',
      },
      { title: 'koa-requestid', url: 'https://www.npmjs.com/package/koa-requestid' },
    ],
    accepted: [],
  },
  {
    ids: ['express'],
    name: 'Express 5',
    routes:
      'Route 3: middlewares on an `express.Router()`, `res.locals`, the envelope wrapping `res.json` (Express has no response-data stage); defaults kept (ETag, X-Powered-By). Unchanged.',
    packages:
      "Route 4: `express-request-id` (`headerName: 'x-request-id'`), Passport with `passport-http-bearer` (`session: false`, `failWithError: true`; the token looked up in a map, as the README looks it up in a store) and an error-handling middleware (four arguments, Express's error-handling guide) that answers the refusal with the problem document, keeping Passport's `WWW-Authenticate` challenge.",
    docs: [
      { title: 'Using middleware', url: 'https://expressjs.com/en/guide/using-middleware.html' },
      { title: 'Error handling', url: 'https://expressjs.com/en/guide/error-handling.html' },
      {
        title: 'passport-http-bearer',
        url: 'https://www.passportjs.org/packages/passport-http-bearer/',
      },
      { title: 'express-request-id', url: 'https://www.npmjs.com/package/express-request-id' },
    ],
    accepted: [],
  },
]

/** The differences accepted for one server (by server id). */
export function acceptedFor(serverId: string): readonly AcceptedDifference[] {
  return PEER_NOTES.find((n) => n.ids.includes(serverId))?.accepted ?? []
}
