/**
 * @module
 * Gateway-contract scenarios beyond routing: HEAD framing (the GET's `Content-Length`, no body)
 * and the one error-reporting path (every error reaches the app's `requestException` listeners
 * exactly once, whether core reported it inside the cycle or the gateway outside it).
 */
import { BROKEN_STREAM_MESSAGE } from '../fixture/constants'
import { assert, assertEqual, assertStatus } from './assert'
import { at, delay, pollProbe, uid } from './helpers'
import type { Scenario } from './types'

/** Waits until the error under `id` was reported, then a little longer, and checks it was once. */
async function reportedOnce(base: string, id: string, what: string): Promise<unknown> {
  // Reported before the client can see the failure, so a short bound is plenty.
  await pollProbe(base, id, (r) => typeof r['reported'] === 'number', `${what}: the report`, 2000)
  // A second report would come from the same request's tail end; give it time to show up.
  await delay(100)
  const res = await fetch(at(base, `/probe?probe=${id}`))
  const probe = (await res.json()) as Record<string, unknown>
  assertEqual(probe['reported'], 1, `${what}: reports to the app's requestException listeners`)
  return probe['error']
}

/** The contract scenarios. */
export const contractScenarios: Scenario[] = [
  {
    id: 'framing.head-length',
    title: "HEAD carries the GET's Content-Length and an empty body",
    async run(base) {
      for (const path of ['/text', '/json/7?q=caf%C3%A9', '/binary', '/large?size=1000']) {
        const get = await fetch(at(base, path))
        await assertStatus(get, 200, `GET ${path}`)
        const length = (await get.arrayBuffer()).byteLength
        const head = await fetch(at(base, path), { method: 'HEAD' })
        await assertStatus(head, 200, `HEAD ${path}`)
        assertEqual(
          head.headers.get('content-length'),
          String(length),
          `HEAD ${path}: Content-Length (RFC 9110 §9.3.2: the GET's fields; §8.6: its length)`
        )
        assertEqual(
          head.headers.get('content-type'),
          get.headers.get('content-type'),
          `HEAD ${path}: Content-Type`
        )
        assertEqual((await head.arrayBuffer()).byteLength, 0, `HEAD ${path}: body length`)
      }
    },
  },
  {
    id: 'reporting.in-cycle',
    title: 'an error thrown in a view reaches the app listeners once (the gateway adds no report)',
    async run(base) {
      const id = uid('report')
      const res = await fetch(at(base, `/error?id=${id}`))
      await assertStatus(res, 500, 'GET /error')
      await res.arrayBuffer()
      await reportedOnce(base, id, 'a view error')
    },
  },
  {
    id: 'reporting.broken-stream',
    title: 'a response stream breaking mid-way reaches the app listeners once',
    async run(base) {
      const id = uid('broken')
      const res = await fetch(at(base, `/stream/broken?id=${id}`))
      await assertStatus(res, 200, 'GET /stream/broken')
      assert(res.body !== null, 'GET /stream/broken: no body')
      const reader = res.body.getReader()
      let received = ''
      let cut = false
      try {
        for (;;) {
          const { value, done } = await reader.read()
          if (done) break
          received += new TextDecoder().decode(value)
        }
      } catch {
        cut = true // the connection was closed without the final chunk: the client can tell
      }
      assertEqual(received, 'first\n', 'GET /stream/broken: what arrived before the break')
      assert(cut, 'GET /stream/broken: the body ended cleanly, so the client cannot tell it is cut')
      const error = await reportedOnce(base, id, 'a broken stream')
      assertEqual(error, BROKEN_STREAM_MESSAGE, 'the reported error')
    },
  },
]
