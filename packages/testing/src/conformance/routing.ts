/**
 * @module
 * Routing scenarios: matching, parameters, 404, 405 with `Allow`, HEAD, OPTIONS, unicode paths
 * and malformed percent-encoding.
 */
import { assert, assertEqual, assertProblem, assertStatus } from './assert'
import { at } from './helpers'
import type { Scenario } from './types'

function allowOf(res: Response): string[] {
  return (res.headers.get('allow') ?? '').split(',').map((m) => m.trim().toUpperCase())
}

/** The routing scenarios. */
export const routingScenarios: Scenario[] = [
  {
    id: 'routing.text',
    title: 'GET /text answers 200 text/plain',
    async run(base) {
      const res = await fetch(at(base, '/text'))
      await assertStatus(res, 200, 'GET /text')
      const type = res.headers.get('content-type') ?? ''
      assert(type.startsWith('text/plain'), `GET /text: expected text/plain, got "${type}"`)
      assertEqual(await res.text(), 'Hello, Cycle!', 'GET /text body')
    },
  },
  {
    id: 'routing.params',
    title: 'typed path parameters and the query string reach the view',
    async run(base) {
      const res = await fetch(at(base, '/json/42?q=a%20b'))
      await assertStatus(res, 200, 'GET /json/42')
      assertEqual(await res.json(), { id: 42, q: 'a b' }, 'GET /json/42 body')
      const bad = await fetch(at(base, '/json/abc'))
      await assertProblem(bad, 404, 'GET /json/abc (the int converter refuses "abc")')
    },
  },
  {
    id: 'routing.response-schema',
    title: 'a response schema writes only the declared fields; data of the wrong shape is a 500',
    async run(base) {
      const res = await fetch(at(base, '/schema/7'))
      await assertStatus(res, 200, 'GET /schema/7')
      assertEqual(
        await res.text(),
        '{"id":7,"name":"User 7","tags":["a","b\\"c","caf\u00e9"]}',
        'GET /schema/7 body (no "secret")'
      )
      await assertProblem(await fetch(at(base, '/schema/0')), 500, 'GET /schema/0 (name is a number)')
    },
  },
  {
    id: 'routing.not-found',
    title: 'an unknown path is a 404 problem',
    async run(base) {
      await assertProblem(await fetch(at(base, '/no/such/route')), 404, 'GET /no/such/route')
    },
  },
  {
    id: 'routing.method-not-allowed',
    title: 'a known path with the wrong method is a 405 with Allow',
    async run(base) {
      const res = await fetch(at(base, '/methods'), { method: 'PUT', body: 'x' })
      const allow = allowOf(res)
      await assertProblem(res, 405, 'PUT /methods')
      assert(
        allow.includes('GET') && allow.includes('POST'),
        `PUT /methods: Allow must list GET and POST, got "${res.headers.get('allow')}"`
      )
      const del = await fetch(at(base, '/text'), { method: 'DELETE' })
      await assertProblem(del, 405, 'DELETE /text')
      assert(allowOf(del).includes('GET'), 'DELETE /text: Allow must list GET')
    },
  },
  {
    id: 'routing.head',
    title: 'HEAD is answered from GET: same status and headers, no body',
    async run(base) {
      const get = await fetch(at(base, '/text'))
      await get.arrayBuffer()
      const head = await fetch(at(base, '/text'), { method: 'HEAD' })
      await assertStatus(head, 200, 'HEAD /text')
      for (const name of ['content-type', 'x-fixture']) {
        assertEqual(head.headers.get(name), get.headers.get(name), `HEAD /text header ${name}`)
      }
      assertEqual((await head.arrayBuffer()).byteLength, 0, 'HEAD /text body length')
      const large = await fetch(at(base, '/large'), { method: 'HEAD' })
      await assertStatus(large, 200, 'HEAD /large')
      assertEqual((await large.arrayBuffer()).byteLength, 0, 'HEAD /large body length')
    },
  },
  {
    id: 'routing.options',
    title: 'OPTIONS on a route answers with Allow',
    async run(base) {
      const res = await fetch(at(base, '/methods'), { method: 'OPTIONS' })
      assert(
        res.status >= 200 && res.status < 300,
        `OPTIONS /methods: expected 2xx, got ${res.status}`
      )
      const allow = allowOf(res)
      assert(
        allow.includes('GET') && allow.includes('POST'),
        `OPTIONS /methods: Allow must list GET and POST, got "${res.headers.get('allow')}"`
      )
      await res.arrayBuffer()
    },
  },
  {
    id: 'routing.unicode',
    title: 'unicode paths match, raw and percent-encoded',
    async run(base) {
      for (const path of ['/unicode/café', '/unicode/caf%C3%A9']) {
        const res = await fetch(at(base, path))
        await assertStatus(res, 200, `GET ${path}`)
        const body = (await res.json()) as { path: string; rawPath: string }
        assertEqual(body.path, '/unicode/café', `GET ${path} decoded path`)
        assertEqual(body.rawPath, '/unicode/caf%C3%A9', `GET ${path} raw path`)
      }
    },
  },
  {
    id: 'routing.bad-percent-encoding',
    title: 'malformed percent-encoding in the path is a 400 problem',
    async run(base) {
      await assertProblem(await fetch(at(base, '/%E0%A4%A')), 400, 'GET /%E0%A4%A')
    },
  },
]
