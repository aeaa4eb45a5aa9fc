/**
 * @module
 * The servers under test, the five routes and the requests that check them.
 */
import {
  ALLOWED_ORIGIN,
  AUTHORIZATION,
  JWT,
  PKG_PATH,
  REQUEST_ID,
  STACK_PATH,
} from './servers/_shared'

/** One server: a bundle in `.out/` plus its environment. */
export interface ServerSpec {
  /** Short id, used in tables and file names. */
  readonly id: string
  /** What the table shows. */
  readonly label: string
  /** Entry under `src/servers/` (without `.ts`); bundled to `.out/<entry>.mjs`. */
  readonly entry: string
  /** Extra environment. */
  readonly env?: Readonly<Record<string, string>>
  /** The npm packages whose versions the report lists. */
  readonly packages: readonly string[]
  /**
   * Far slower than the others under valgrind (Express: 10× the instructions per request): its
   * callgrind runs are started first, so they overlap the others instead of ending the run alone.
   */
  readonly heavy?: boolean
  /**
   * The routes (ids) it serves; default every one of {@link ROUTES}. Route 5 (the real stack) is
   * written for the raw floor, Cycle, Fastify and Hono only: every section skips the others there
   * ("—" in the report).
   */
  readonly routes?: readonly string[]
}

/** Routes 1–4, which every server serves. */
const FOUR = ['r1', 'r2', 'r3', 'r4'] as const

/** Every server, the raw floor first and Cycle second (the ratios are taken against those). */
export const SERVERS: readonly ServerSpec[] = [
  { id: 'node', label: 'node:http (hand-written)', entry: 'node-raw', packages: [] },
  { id: 'cycle', label: 'Cycle (gateway-node)', entry: 'cycle', packages: [] },
  {
    id: 'cycle-schema',
    label: 'Cycle + response schemas',
    entry: 'cycle',
    env: { SCHEMAS: '1' },
    packages: [],
  },
  {
    id: 'fastify',
    label: 'Fastify',
    entry: 'fastify',
    packages: [
      'fastify',
      '@fastify/helmet',
      '@fastify/cors',
      '@fastify/etag',
      '@fastify/compress',
      '@fastify/jwt',
    ],
  },
  {
    id: 'fastify-schema',
    label: 'Fastify + response schemas',
    entry: 'fastify',
    env: { SCHEMAS: '1' },
    packages: ['fastify'],
  },
  {
    id: 'hono',
    label: 'Hono (@hono/node-server)',
    entry: 'hono',
    packages: ['hono', '@hono/node-server'],
  },
  { id: 'h3', label: 'h3 v2 (srvx node)', entry: 'h3', packages: ['h3', 'srvx'], routes: FOUR },
  {
    id: 'koa',
    label: 'Koa + @koa/router',
    entry: 'koa',
    packages: ['koa', '@koa/router'],
    routes: FOUR,
  },
  {
    id: 'express',
    label: 'Express 5',
    entry: 'express',
    packages: ['express'],
    heavy: true,
    routes: FOUR,
  },
]

/** One request the harness sends. */
export interface Probe {
  readonly id: string
  readonly label: string
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
}

/**
 * The five measured routes. Routes 3–5 carry a valid token and a request id; route 4 is route 3's
 * answer built with the packages each framework's users install; route 5 adds security headers,
 * CORS (from an allowed origin), an ETag and compression (negotiated only: the answer is below
 * every threshold) to it, with a JWT instead of an opaque token.
 */
export const ROUTES: readonly Probe[] = [
  { id: 'r1', label: 'GET / (text)', path: '/', headers: {} },
  { id: 'r2', label: 'GET /users/:id (JSON)', path: '/users/42', headers: {} },
  {
    id: 'r3',
    label: 'GET /api/me (3 hand-written middlewares)',
    path: '/api/me',
    headers: { authorization: AUTHORIZATION, [REQUEST_ID]: 'bench-7f3a' },
  },
  {
    id: 'r4',
    label: 'GET /pkg/me (auth + format packages)',
    path: PKG_PATH,
    headers: { authorization: AUTHORIZATION, [REQUEST_ID]: 'bench-7f3a' },
  },
  {
    id: 'r5',
    label: 'GET /stack/me (the real stack)',
    path: STACK_PATH,
    headers: {
      authorization: `Bearer ${JWT}`,
      [REQUEST_ID]: 'bench-7f3a',
      origin: ALLOWED_ORIGIN,
      'accept-encoding': 'gzip, deflate, br',
    },
  },
]

/** Routes 1–4: the ones every server (and every in-process fetch handler) serves. */
export const BASE_ROUTES: readonly Probe[] = ROUTES.slice(0, 4)

/** The route a probe belongs to (`r4-bad` → `r4`, `r2b` → `r2`). */
export const routeOf = (probe: Pick<Probe, 'id'>): string => probe.id.slice(0, 2)

/** Whether a server serves a route (or a check probe of it). */
export const serves = (spec: ServerSpec, probe: Pick<Probe, 'id'>): boolean =>
  spec.routes === undefined || spec.routes.includes(routeOf(probe))

/** The probes of `list` a server serves. */
export const routesOf = (spec: ServerSpec, list: readonly Probe[] = ROUTES): Probe[] =>
  list.filter((p) => serves(spec, p))

/** The routes whose answers carry a request id (header and envelope). */
export const WITH_REQUEST_ID: readonly Probe[] = ROUTES.slice(2)

/** What the identity check sends on top of the routes: the refusals of routes 3–5. */
export const CHECKS: readonly Probe[] = [
  ...ROUTES,
  { id: 'r2b', label: 'GET /users/7', path: '/users/7', headers: {} },
  ...WITH_REQUEST_ID.flatMap((route): Probe[] => {
    const name = route.path
    const { authorization: _token, ...rest } = route.headers
    return [
      {
        id: `${route.id}-none`,
        label: `GET ${name}, no token`,
        path: route.path,
        headers: rest,
      },
      {
        id: `${route.id}-bad`,
        label: `GET ${name}, wrong token`,
        path: route.path,
        headers: { ...rest, authorization: 'Bearer nope' },
      },
    ]
  }),
]
