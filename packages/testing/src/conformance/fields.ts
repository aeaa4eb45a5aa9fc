/**
 * @module
 * Repeated fields that decide security: two `Authorization`, two `Content-Type` or two `Host`
 * lines are refused with a 400 problem before the app runs, never merged or first-wins, and the
 * server answers the next request as usual. A client library merges or cleans such fields, so
 * these scenarios write the bytes over a raw socket ({@link rawExchange}).
 *
 * Some runtimes refuse a request themselves before the gateway sees it (Deno answers two `Host`
 * lines with its own empty 400). A suite says so with `runtimeRefuses`; the scenario then checks
 * that refusal instead (a 400 that is not the gateway's problem document), so it notices when the
 * runtime starts to let the request through.
 */
import { assert, assertEqual, assertProblem, assertStatus } from './assert'
import { at } from './helpers'
import { rawExchange, type RawResponse } from './raw'
import type { Scenario, ScenarioTarget } from './types'

/** The request line and fields of one raw request, given the `host:port` being tested. */
type Head = (host: string) => string[]

function repeated(id: string, field: string, head: Head, body = ''): Scenario {
  return {
    id,
    title: `two ${field} lines (raw bytes) are a 400 problem, and the server answers on`,
    async run(base: string, target?: ScenarioTarget) {
      const what = `two ${field} lines`
      const res = await rawExchange(base, head(new URL(base).host), what, body)
      const runtime = target?.runtimeRefuses?.[id]
      if (runtime === undefined) {
        const problem = await assertProblem(toResponse(res), 400, what)
        const detail = problem['detail']
        assert(
          detail === undefined || (typeof detail === 'string' && detail.includes(field)),
          `${what}: the problem's detail should name ${field}, got ${JSON.stringify(detail)}`
        )
      } else {
        assertEqual(res.status, 400, `${what} (refused by the runtime: ${runtime}): status`)
        assert(
          !(res.headers['content-type'] ?? '').startsWith('application/problem+json'),
          `${what}: marked as refused by the runtime (${runtime}), but the gateway answered ` +
            `with its own problem: the runtime lets the request through now, remove the mark`
        )
      }
      const next = await fetch(at(base, '/text'))
      await assertStatus(next, 200, `GET /text after ${what}`)
      assertEqual(await next.text(), 'Hello, Cycle!', `GET /text after ${what}: body`)
    },
  }
}

function toResponse(raw: RawResponse): Response {
  return new Response(raw.body, { status: raw.status, headers: raw.headers })
}

/** The repeated-field scenarios. */
export const fieldScenarios: Scenario[] = [
  repeated('fields.repeated-authorization', 'Authorization', (host) => [
    'GET /text HTTP/1.1',
    `Host: ${host}`,
    'Authorization: Bearer first',
    'Authorization: Bearer second',
    'Connection: close',
  ]),
  repeated(
    'fields.repeated-content-type',
    'Content-Type',
    (host) => [
      'POST /echo/text HTTP/1.1',
      `Host: ${host}`,
      'Content-Type: text/plain',
      'Content-Type: application/json',
      'Content-Length: 2',
      'Connection: close',
    ],
    'hi'
  ),
  repeated('fields.repeated-host', 'Host', (host) => [
    'GET /text HTTP/1.1',
    `Host: ${host}`,
    'Host: evil.example',
    'Connection: close',
  ]),
]
