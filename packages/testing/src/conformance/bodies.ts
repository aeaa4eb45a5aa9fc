/**
 * @module
 * Body scenarios: echo as text/JSON/bytes, body limits with and without `Content-Length`,
 * malformed JSON, wrong content type, binary and large bodies.
 */
import {
  LARGE_BODY_SIZE as LARGE_SIZE,
  SMALL_BODY_LIMIT as SMALL_LIMIT,
  largeByte,
} from '../fixture/constants'
import { assert, assertEqual, assertProblem, assertStatus } from './assert'
import { at, bytesOf, firstDifference } from './helpers'
import type { Scenario } from './types'

/** A request body without `Content-Length`: a stream, sent chunked (`duplex: 'half'`). */
function streamBody(chunks: Uint8Array<ArrayBuffer>[]): RequestInit {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(c)
      controller.close()
    },
  })
  // `duplex` is required by fetch for stream bodies but missing from the DOM typings.
  return { method: 'POST', body, duplex: 'half', headers: OCTET } as RequestInit
}

const OCTET = { 'content-type': 'application/octet-stream' }

async function bytes(res: Response): Promise<Uint8Array> {
  return new Uint8Array(await res.arrayBuffer())
}

function sameBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  const diff = firstDifference(actual, expected)
  assert(
    diff === -1,
    `${what}: bodies differ at byte ${diff} (got ${actual.byteLength} bytes, expected ${expected.byteLength})`
  )
}

/** The body scenarios. */
export const bodyScenarios: Scenario[] = [
  {
    id: 'bodies.text',
    title: 'a UTF-8 text body round-trips',
    async run(base) {
      const sent = 'héllo, wörld ✓ 🚲'
      const res = await fetch(at(base, '/echo/text'), {
        method: 'POST',
        body: sent,
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
      })
      await assertStatus(res, 200, 'POST /echo/text')
      assertEqual(await res.text(), sent, 'POST /echo/text body')
    },
  },
  {
    id: 'bodies.json',
    title: 'a JSON body is parsed and echoed',
    async run(base) {
      const sent = { a: 1, list: [1, 'two', null], nested: { ok: true } }
      const res = await fetch(at(base, '/echo/json'), {
        method: 'POST',
        body: JSON.stringify(sent),
        headers: { 'content-type': 'application/json' },
      })
      await assertStatus(res, 200, 'POST /echo/json')
      assertEqual(await res.json(), { received: sent }, 'POST /echo/json body')
    },
  },
  {
    id: 'bodies.malformed-json',
    title: 'malformed JSON is a 400 problem',
    async run(base) {
      const res = await fetch(at(base, '/echo/json'), {
        method: 'POST',
        body: '{"a": 1,',
        headers: { 'content-type': 'application/json' },
      })
      await assertProblem(res, 400, 'POST /echo/json with malformed JSON')
    },
  },
  {
    id: 'bodies.wrong-content-type',
    title: 'a non-JSON content type on a JSON route is a 415 problem',
    async run(base) {
      const res = await fetch(at(base, '/echo/json'), {
        method: 'POST',
        body: '{"a": 1}',
        headers: { 'content-type': 'text/plain' },
      })
      await assertProblem(res, 415, 'POST /echo/json as text/plain')
    },
  },
  {
    id: 'bodies.limit-content-length',
    title: 'a body over the route limit with Content-Length is a 413 problem',
    async run(base) {
      const res = await fetch(at(base, '/echo/small'), {
        method: 'POST',
        body: new Uint8Array(SMALL_LIMIT * 2),
        headers: OCTET,
      })
      await assertProblem(res, 413, `POST /echo/small with ${SMALL_LIMIT * 2} bytes`)
    },
  },
  {
    id: 'bodies.limit-chunked',
    title: 'a chunked body over the limit (no Content-Length) is a 413 problem',
    async run(base) {
      const chunk = new Uint8Array(SMALL_LIMIT).fill(120)
      const res = await fetch(at(base, '/echo/small'), streamBody([chunk, chunk, chunk]))
      await assertProblem(res, 413, `POST /echo/small with a chunked ${SMALL_LIMIT * 3}-byte body`)
    },
  },
  {
    id: 'bodies.under-limit',
    title: 'bodies at the limit pass, with and without Content-Length',
    async run(base) {
      const exact = bytesOf(SMALL_LIMIT, (i) => i & 0xff)
      const res = await fetch(at(base, '/echo/small'), {
        method: 'POST',
        body: exact,
        headers: OCTET,
      })
      await assertStatus(res, 200, `POST /echo/small with exactly ${SMALL_LIMIT} bytes`)
      sameBytes(await bytes(res), exact, 'POST /echo/small')
      const half = exact.slice(0, SMALL_LIMIT / 2)
      const chunked = await fetch(at(base, '/echo/small'), streamBody([half, half]))
      await assertStatus(chunked, 200, `POST /echo/small with a chunked ${SMALL_LIMIT}-byte body`)
      assertEqual((await bytes(chunked)).byteLength, SMALL_LIMIT, 'chunked echo length')
    },
  },
  {
    id: 'bodies.binary',
    title: 'all 256 byte values survive both ways',
    async run(base) {
      const all = bytesOf(256, (i) => i)
      const down = await fetch(at(base, '/binary'))
      await assertStatus(down, 200, 'GET /binary')
      sameBytes(await bytes(down), all, 'GET /binary')
      const up = await fetch(at(base, '/echo/bytes'), { method: 'POST', body: all, headers: OCTET })
      await assertStatus(up, 200, 'POST /echo/bytes')
      assertEqual(up.headers.get('content-type'), 'application/octet-stream', 'echo content type')
      sameBytes(await bytes(up), all, 'POST /echo/bytes')
    },
  },
  {
    id: 'bodies.large',
    title: 'a 512 KiB body survives both ways',
    async run(base) {
      const expected = bytesOf(LARGE_SIZE, largeByte)
      const down = await fetch(at(base, '/large'))
      await assertStatus(down, 200, 'GET /large')
      sameBytes(await bytes(down), expected, 'GET /large')
      const up = await fetch(at(base, '/echo/bytes'), {
        method: 'POST',
        body: expected,
        headers: OCTET,
      })
      await assertStatus(up, 200, `POST /echo/bytes with ${LARGE_SIZE} bytes`)
      sameBytes(await bytes(up), expected, 'POST /echo/bytes (large)')
    },
  },
]
