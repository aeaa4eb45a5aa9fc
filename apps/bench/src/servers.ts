/**
 * @module
 * The servers under test, the three routes and the requests that check them.
 */
import { AUTHORIZATION, PKG_PATH, REQUEST_ID } from './servers/_shared'

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
}

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
  { id: 'fastify', label: 'Fastify', entry: 'fastify', packages: ['fastify'] },
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
  { id: 'h3', label: 'h3 v2 (srvx node)', entry: 'h3', packages: ['h3', 'srvx'] },
  { id: 'koa', label: 'Koa + @koa/router', entry: 'koa', packages: ['koa', '@koa/router'] },
  { id: 'express', label: 'Express 5', entry: 'express', packages: ['express'], heavy: true },
]

/** One request the harness sends. */
export interface Probe {
  readonly id: string
  readonly label: string
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
}

/**
 * The four measured routes. Routes 3 and 4 carry a valid token and a request id; route 4 is
 * route 3's answer built with the packages each framework's users install.
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
]

/** The routes whose answers carry a request id (header and envelope). */
export const WITH_REQUEST_ID: readonly Probe[] = ROUTES.slice(2)

/** What the identity check sends on top of the routes: the refusals of routes 3 and 4. */
export const CHECKS: readonly Probe[] = [
  ...ROUTES,
  { id: 'r2b', label: 'GET /users/7', path: '/users/7', headers: {} },
  ...WITH_REQUEST_ID.flatMap((route): Probe[] => {
    const name = route.path
    return [
      {
        id: `${route.id}-none`,
        label: `GET ${name}, no token`,
        path: route.path,
        headers: { [REQUEST_ID]: 'bench-7f3a' },
      },
      {
        id: `${route.id}-bad`,
        label: `GET ${name}, wrong token`,
        path: route.path,
        headers: { authorization: 'Bearer nope', [REQUEST_ID]: 'bench-7f3a' },
      },
    ]
  }),
]
