import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildAll } from './build'
import { fetchOnce } from './client'
import { SERVERS } from './servers'
import { startServer, type Running } from './spawn'
import { acceptedFor, PEER_NOTES } from './peers'
import {
  checkFreshRequestId,
  collect,
  compare,
  compareServer,
  normalizeType,
  type Answers,
} from './verify'
import { HELLO, UNAUTHORIZED_BODY } from './servers/_shared'

// Every server of the benchmark, started as the bench starts them (esbuild bundles, own process,
// 127.0.0.1, a free port), must answer the probes like the hand-written node:http server: byte for
// byte on routes 1–3, the same document on route 4 (the packages' route) but for the differences
// `peers.ts` lists. Nothing is timed here; the benchmarks themselves run only with `pnpm bench`.
const running: Running[] = []
let reference: Answers

beforeAll(async () => {
  await buildAll()
  running.push(...(await Promise.all(SERVERS.map((s) => startServer(s, { timeout: 20_000 })))))
  reference = await collect((running[0] as Running).port)
}, 60_000)

afterAll(async () => {
  await Promise.all(running.map((r) => r.stop()))
})

describe('the reference server', () => {
  it('answers route 1 with the plain-text greeting', () => {
    expect(reference['r1']?.status).toBe(200)
    expect(normalizeType(reference['r1']?.headers['content-type'])).toBe('text/plain;charset=utf-8')
    expect(reference['r1']?.body.toString()).toBe(HELLO)
  })

  it('answers route 2 with the user document', () => {
    expect(JSON.parse(reference['r2']?.body.toString() ?? '')).toEqual({ id: 42, name: 'User 42' })
  })

  it('answers route 3 with the envelope and refuses a missing or wrong token with 401', () => {
    expect(JSON.parse(reference['r3']?.body.toString() ?? '')).toEqual({
      data: { id: 1, name: 'Ada Lovelace' },
      meta: { requestId: 'bench-7f3a' },
    })
    for (const id of ['r3-none', 'r3-bad']) {
      expect(reference[id]?.status).toBe(401)
      expect(reference[id]?.body.toString()).toBe(UNAUTHORIZED_BODY)
    }
  })

  it('answers route 4 exactly as route 3', () => {
    for (const [r4, r3] of [
      ['r4', 'r3'],
      ['r4-none', 'r3-none'],
      ['r4-bad', 'r3-bad'],
    ] as const) {
      expect(reference[r4]?.status).toBe(reference[r3]?.status)
      expect(reference[r4]?.body.toString()).toBe(reference[r3]?.body.toString())
    }
  })

  it('answers route 5 with the envelope, the stack headers and a 401 without a valid JWT', () => {
    const r5 = reference['r5']
    expect(JSON.parse(r5?.body.toString() ?? '')).toEqual(
      JSON.parse(reference['r3']?.body.toString() ?? '')
    )
    expect(compare(reference, reference)).toEqual([])
    expect(r5?.headers['access-control-allow-origin']).toBe('https://app.example')
    expect(r5?.headers['etag']).toMatch(/^"/)
    for (const id of ['r5-none', 'r5-bad']) expect(reference[id]?.status).toBe(401)
  })

  it("reports a route-5 answer without the stack's headers", () => {
    const r5 = reference['r5']
    if (r5 === undefined) throw new Error('no r5 answer')
    const { 'access-control-allow-origin': _cors, etag: _etag, ...headers } = r5.headers
    const problems = compare(reference, { ...reference, r5: { ...r5, headers } })
    expect(problems.join('\n')).toMatch(/access-control-allow-origin differs[\s\S]*etag differs/)
  })
})

describe.each(SERVERS.slice(1).map((s) => [s.id]))('%s', (id) => {
  const server = (): Running => running.find((r) => r.spec.id === id) as Running

  it('answers every probe like the reference (status, media type, body)', async () => {
    expect(compareServer(id, reference, await collect(server().port, server().spec))).toEqual([])
  })

  it('needs every difference it is allowed on routes 4 and 5', async () => {
    // An accepted difference that no longer happens should leave the list (and the report).
    const answers = await collect(server().port, server().spec)
    for (const a of acceptedFor(id)) {
      const others = acceptedFor(id).filter((b) => b !== a)
      expect(
        compare(reference, answers, others, server().spec),
        `${a.probe} ${a.field}`
      ).not.toEqual([])
    }
  })

  it('makes up a request id when none is sent, the same in header and envelope', async () => {
    expect(await checkFreshRequestId(server().port, server().spec)).toEqual([])
  })
})

describe('compare()', () => {
  it('reports a different body, status and content type', async () => {
    const port = (running[0] as Running).port
    const other = await collect(port)
    const r1 = other['r1']
    if (r1 === undefined) throw new Error('no r1 answer')
    other['r1'] = {
      status: 201,
      headers: { 'content-type': 'text/html' },
      body: Buffer.from('Hello!'),
    }
    const problems = compare(reference, other)
    expect(problems).toHaveLength(3)
    expect(problems.join('\n')).toMatch(
      /status differs[\s\S]*content-type differs[\s\S]*body differs/
    )
    expect(r1.body.toString()).toBe(HELLO)
  })

  it('treats charset case and spaces as the same content type', () => {
    expect(normalizeType('text/plain; charset=UTF-8')).toBe(
      normalizeType('text/plain;charset=utf-8')
    )
  })

  it("drops JSON's charset=utf-8 (RFC 8259 defines none) but keeps text's and other parameters", () => {
    expect(normalizeType('application/json; charset=utf-8')).toBe('application/json')
    expect(normalizeType('application/problem+json; charset=UTF-8')).toBe(
      'application/problem+json'
    )
    expect(normalizeType('text/plain')).not.toBe(normalizeType('text/plain; charset=utf-8'))
    expect(normalizeType('application/json; charset=latin1')).toBe(
      'application/json;charset=latin1'
    )
    expect(normalizeType('application/problem+json')).not.toBe('application/json')
  })

  it('accepts only listed differences, and only on route 4', () => {
    const other: Answers = Object.fromEntries(
      Object.entries(reference).map(([k, a]) => [k, { ...a }])
    )
    for (const id of ['r3-bad', 'r4-bad']) {
      const answer = other[id]
      if (answer === undefined) throw new Error(`no ${id} answer`)
      answer.body = Buffer.from(UNAUTHORIZED_BODY.replace('is required', 'is wrong'))
    }
    const accepted = [{ probe: 'r4-bad', field: 'detail', why: '' }] as const
    expect(compare(reference, other, accepted)).toHaveLength(1)
    expect(compare(reference, other)).toHaveLength(2)
  })

  it('has a note for every server but the floor', () => {
    for (const spec of SERVERS.slice(1))
      expect(
        PEER_NOTES.some((n) => n.ids.includes(spec.id)),
        spec.id
      ).toBe(true)
  })

  it('reports a 404 for a path no server knows', async () => {
    const answer = await fetchOnce((running[1] as Running).port, { path: '/nope', headers: {} })
    expect(answer.status).toBe(404)
  })
})
