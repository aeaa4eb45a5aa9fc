/**
 * @module
 * The identity check run before anything is measured: every server must answer every probe like
 * the hand-written node:http server: same status, same media type (parameters normalized, see
 * {@link normalizeType}), same body bytes on routes 1–3 and the same JSON document on route 4;
 * routes 3 and 4 must echo the request id, and a request without one must get a fresh id in both
 * the header and the body. On route 4 a server may differ where its package cannot do otherwise,
 * each such difference listed in `peers.ts` (and in the report). Route 5 (the real stack) is
 * compared like route 4, plus the headers the stack exists for: the security headers of
 * `STACK_SECURITY_HEADERS` with the same values, CORS for the allowed origin (`Vary: Origin`
 * included) and an `ETag` (its form is each package's own). Servers that do not serve a route
 * (`ServerSpec.routes`) are neither asked nor compared there.
 */
import { Agent } from 'node:http'
import { fetchOnce, type Answer } from './client'
import { acceptedFor, type AcceptedDifference } from './peers'
import {
  CHECKS,
  routesOf,
  serves,
  SERVERS,
  WITH_REQUEST_ID,
  type Probe,
  type ServerSpec,
} from './servers'
import {
  ALLOWED_ORIGIN,
  PKG_PATH,
  REQUEST_ID,
  STACK_PATH,
  STACK_SECURITY_HEADERS,
} from './servers/_shared'

/** Collected answers of one server, by probe id. */
export type Answers = Record<string, Answer>

/**
 * A content type as compared: the media type and its parameters in lower case, without spaces,
 * parameters sorted; for JSON (`application/json`, `*\/*+json`) a `charset=utf-8` parameter is
 * dropped: RFC 8259 §11 defines no charset for JSON, which is UTF-8, so Hono's `application/json`
 * and Fastify's `application/json; charset=utf-8` say the same thing. `text/plain`'s charset is
 * kept (compared case-insensitively: `UTF-8` is `utf-8`).
 */
export function normalizeType(value: string | string[] | undefined): string {
  const [type = '', ...params] = String(value ?? '')
    .toLowerCase()
    .replace(/\s+/g, '')
    .split(';')
  const json = type === 'application/json' || type.endsWith('+json')
  const kept = params.filter((p) => p !== '' && !(json && p === 'charset=utf-8')).sort()
  return [type, ...kept].join(';')
}

/** Sends every check probe (of the routes `spec` serves) to a server (one keep-alive connection). */
export async function collect(port: number, spec?: ServerSpec): Promise<Answers> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  try {
    const out: Answers = {}
    for (const probe of spec === undefined ? CHECKS : routesOf(spec, CHECKS))
      out[probe.id] = await fetchOnce(port, probe, agent)
    return out
  } finally {
    agent.destroy()
  }
}

function describe(probe: Probe, what: string, want: unknown, got: unknown): string {
  return `${probe.label}: ${what} differs: expected ${JSON.stringify(want)}, got ${JSON.stringify(
    got
  )}`
}

function parse(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString()) as unknown
  } catch {
    return undefined
  }
}

/** Deep equality of two JSON values (key order ignored). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  return ka.every((k) =>
    sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])
  )
}

/** Route 4's body check: the same JSON document, or the same problem but its `detail` if accepted. */
function compareDocument(probe: Probe, want: Answer, got: Answer, detail: boolean): string[] {
  const a = parse(want.body)
  const b = parse(got.body)
  if (a !== undefined && b !== undefined) {
    if (sameJson(a, b)) return []
    if (detail && typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) {
      const { detail: _a, ...restA } = a as Record<string, unknown>
      const { detail: _b, ...restB } = b as Record<string, unknown>
      if (sameJson(restA, restB)) return []
    }
  }
  return [describe(probe, 'body document', want.body.toString(), got.body.toString())]
}

/** Route 5's 200: the stack's headers (security, CORS, `Vary: Origin`, an ETag). */
function compareStack(probe: Probe, got: Answer, encoded: boolean): string[] {
  const problems: string[] = []
  const want: Record<string, string> = {
    ...STACK_SECURITY_HEADERS,
    'access-control-allow-origin': ALLOWED_ORIGIN,
    'access-control-allow-credentials': 'true',
  }
  for (const [name, value] of Object.entries(want)) {
    const header = got.headers[name]
    if (String(header ?? '').toLowerCase() !== value.toLowerCase())
      problems.push(describe(probe, name, value, header))
  }
  const vary = String(got.headers['vary'] ?? '')
    .toLowerCase()
    .split(/\s*,\s*/)
  if (!vary.includes('origin'))
    problems.push(describe(probe, 'vary', 'Origin', got.headers['vary']))
  if (typeof got.headers['etag'] !== 'string' || !/^(W\/)?"[^"]*"$/.test(got.headers['etag']))
    problems.push(describe(probe, 'etag', 'an entity tag', got.headers['etag']))
  if (!encoded && got.headers['content-encoding'] !== undefined)
    problems.push(describe(probe, 'content-encoding', undefined, got.headers['content-encoding']))
  return problems
}

/**
 * Differences between a server's answers and the reference's (empty when identical, or different
 * only where `accepted` allows). `spec`: only the probes of the routes it serves.
 */
export function compare(
  reference: Answers,
  answers: Answers,
  accepted: readonly AcceptedDifference[] = [],
  spec?: ServerSpec
): string[] {
  const problems: string[] = []
  const allows = (probe: Probe, field: AcceptedDifference['field']): boolean =>
    accepted.some((a) => a.probe === probe.id && a.field === field)
  for (const probe of CHECKS) {
    if (spec !== undefined && !serves(spec, probe)) continue
    const want = reference[probe.id]
    const got = answers[probe.id]
    if (want === undefined || got === undefined) {
      problems.push(`${probe.label}: no answer`)
      continue
    }
    if (want.status !== got.status)
      problems.push(describe(probe, 'status', want.status, got.status))
    if (
      WITH_REQUEST_ID.some((r) => r.path === probe.path) &&
      got.headers[REQUEST_ID] !== probe.headers[REQUEST_ID]
    ) {
      problems.push(describe(probe, REQUEST_ID, probe.headers[REQUEST_ID], got.headers[REQUEST_ID]))
    }
    // A refusal the package words its own way: the status (and the request id) must match.
    if (allows(probe, 'refusal') && got.status === 401) continue
    if (probe.path === STACK_PATH && got.status === 200)
      problems.push(...compareStack(probe, got, allows(probe, 'encoding')))
    const wantType = normalizeType(want.headers['content-type'])
    const gotType = normalizeType(got.headers['content-type'])
    if (wantType !== gotType) problems.push(describe(probe, 'content-type', wantType, gotType))
    if (probe.path === PKG_PATH || probe.path === STACK_PATH) {
      problems.push(...compareDocument(probe, want, got, allows(probe, 'detail')))
    } else if (!want.body.equals(got.body)) {
      problems.push(describe(probe, 'body', want.body.toString(), got.body.toString()))
    }
    if (
      got.status === 401 &&
      !allows(probe, 'challenge') &&
      !/^bearer/i.test(String(got.headers['www-authenticate'] ?? ''))
    ) {
      problems.push(describe(probe, 'www-authenticate', 'Bearer', got.headers['www-authenticate']))
    }
  }
  return problems
}

/** Differences of one server, with the differences `peers.ts` accepts for it. */
export function compareServer(serverId: string, reference: Answers, answers: Answers): string[] {
  return compare(
    reference,
    answers,
    acceptedFor(serverId),
    SERVERS.find((s) => s.id === serverId)
  )
}

/** Without an incoming id, routes 3–5 must invent one and use it in the header and envelope. */
export async function checkFreshRequestId(port: number, spec?: ServerSpec): Promise<string[]> {
  const problems: string[] = []
  for (const route of spec === undefined ? WITH_REQUEST_ID : routesOf(spec, WITH_REQUEST_ID)) {
    const { [REQUEST_ID]: _drop, ...headers } = route.headers
    const answer = await fetchOnce(port, { path: route.path, headers })
    const header = answer.headers[REQUEST_ID]
    const inBody = (parse(answer.body) as { meta?: { requestId?: unknown } } | undefined)?.meta
      ?.requestId
    if (
      answer.status !== 200 ||
      typeof header !== 'string' ||
      header.length < 8 ||
      header !== inBody
    ) {
      problems.push(
        `${route.path}, fresh request id: header ${JSON.stringify(
          header
        )} and body ${JSON.stringify(inBody)} should be one new id`
      )
    }
  }
  return problems
}
