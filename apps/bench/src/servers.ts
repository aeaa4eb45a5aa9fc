/**
 * @module
 * The servers under test, the three routes and the requests that check them.
 */
import { AUTHORIZATION, REQUEST_ID } from './servers/_shared'

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

/** The three measured routes. Route 3 carries a valid token and a request id. */
export const ROUTES: readonly Probe[] = [
  { id: 'r1', label: 'GET / (text)', path: '/', headers: {} },
  { id: 'r2', label: 'GET /users/:id (JSON)', path: '/users/42', headers: {} },
  {
    id: 'r3',
    label: 'GET /api/me (3 middlewares)',
    path: '/api/me',
    headers: { authorization: AUTHORIZATION, [REQUEST_ID]: 'bench-7f3a' },
  },
]

/** What the identity check sends on top of the routes: the refusals of route 3. */
export const CHECKS: readonly Probe[] = [
  ...ROUTES,
  { id: 'r2b', label: 'GET /users/7', path: '/users/7', headers: {} },
  {
    id: 'r3-none',
    label: 'GET /api/me, no token',
    path: '/api/me',
    headers: { [REQUEST_ID]: 'bench-7f3a' },
  },
  {
    id: 'r3-bad',
    label: 'GET /api/me, wrong token',
    path: '/api/me',
    headers: { authorization: 'Bearer nope', [REQUEST_ID]: 'bench-7f3a' },
  },
]
