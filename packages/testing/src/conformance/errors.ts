/**
 * @module
 * Error, cookie and platform scenarios: problem+json for unhandled errors (without leaking the
 * message) and for `HttpError`s (with their headers), two `Set-Cookie` kept apart, `waitUntil`.
 */
import { ERROR_SECRET } from '../fixture/constants'
import { assert, assertEqual, assertProblem, assertStatus } from './assert'
import { at, pollProbe, uid } from './helpers'
import type { Scenario } from './types'

/** The error, cookie and platform scenarios. */
export const errorScenarios: Scenario[] = [
  {
    id: 'errors.unhandled',
    title: 'a thrown Error is a 500 problem that leaks nothing',
    async run(base) {
      const res = await fetch(at(base, '/error'))
      const problem = await assertProblem(res, 500, 'GET /error')
      assert(
        !JSON.stringify(problem).includes(ERROR_SECRET),
        'GET /error: the error message leaked into the response outside debug mode'
      )
    },
  },
  {
    id: 'errors.http-error',
    title: 'HttpErrors keep their status and headers as problem+json',
    async run(base) {
      for (const status of [400, 401, 403, 404, 409, 410, 429, 503, 418]) {
        const res = await fetch(at(base, `/errors/${status}`))
        const headers = res.headers
        const problem = await assertProblem(res, status, `GET /errors/${status}`)
        if (status === 401) {
          assertEqual(
            headers.get('www-authenticate'),
            'Bearer realm="fixture"',
            '401 WWW-Authenticate'
          )
        }
        if (status === 429) assertEqual(headers.get('retry-after'), '7', '429 Retry-After')
        if (status === 409) assertEqual(problem['detail'], 'Already there.', '409 detail')
      }
    },
  },
  {
    id: 'cookies.multiple',
    title: 'two Set-Cookie headers arrive as two cookies',
    async run(base) {
      const res = await fetch(at(base, '/cookies'))
      await assertStatus(res, 200, 'GET /cookies')
      await res.arrayBuffer()
      const cookies = res.headers.getSetCookie()
      assertEqual(cookies.length, 2, 'number of Set-Cookie headers')
      assert(
        cookies[0]?.startsWith('first=one') === true && /httponly/i.test(cookies[0]),
        `first cookie: got "${cookies[0]}"`
      )
      assert(cookies[1]?.startsWith('second=two') === true, `second cookie: got "${cookies[1]}"`)
    },
  },
  {
    id: 'platform.wait-until',
    title: 'work handed to request.waitUntil finishes after the response',
    async run(base) {
      const id = uid('wait')
      const res = await fetch(at(base, `/wait-until?id=${id}`))
      await assertStatus(res, 200, 'GET /wait-until')
      assertEqual(await res.text(), 'scheduled', 'GET /wait-until body')
      await pollProbe(base, id, (r) => r['done'] === true, 'the waitUntil work')
    },
  },
]
