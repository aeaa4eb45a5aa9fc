/**
 * @module
 * The identity check run before anything is measured: every server must answer every probe like
 * the hand-written node:http server: same status, same content type (compared case- and
 * space-insensitively: `charset=UTF-8` is `charset=utf-8`), same body bytes; route 3 must echo
 * the request id, and a request without one must get a fresh id in both the header and the body.
 */
import { Agent } from 'node:http'
import { fetchOnce, type Answer } from './client'
import { CHECKS, ROUTES, type Probe } from './servers'
import { REQUEST_ID } from './servers/_shared'

/** Collected answers of one server, by probe id. */
export type Answers = Record<string, Answer>

/** Content type as compared: lower case, no spaces. */
export function normalizeType(value: string | string[] | undefined): string {
  return String(value ?? '')
    .toLowerCase()
    .replace(/\s+/g, '')
}

/** Sends every check probe to a server (one keep-alive connection). */
export async function collect(port: number): Promise<Answers> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  try {
    const out: Answers = {}
    for (const probe of CHECKS) out[probe.id] = await fetchOnce(port, probe, agent)
    return out
  } finally {
    agent.destroy()
  }
}

function describe(probe: Probe, what: string, want: unknown, got: unknown): string {
  return `${probe.label}: ${what} differs: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`
}

/** Differences between a server's answers and the reference's (empty when identical). */
export function compare(reference: Answers, answers: Answers): string[] {
  const problems: string[] = []
  for (const probe of CHECKS) {
    const want = reference[probe.id]
    const got = answers[probe.id]
    if (want === undefined || got === undefined) {
      problems.push(`${probe.label}: no answer`)
      continue
    }
    if (want.status !== got.status)
      problems.push(describe(probe, 'status', want.status, got.status))
    const wantType = normalizeType(want.headers['content-type'])
    const gotType = normalizeType(got.headers['content-type'])
    if (wantType !== gotType) problems.push(describe(probe, 'content-type', wantType, gotType))
    if (!want.body.equals(got.body)) {
      problems.push(describe(probe, 'body', want.body.toString(), got.body.toString()))
    }
    if (probe.path === '/api/me' && got.headers[REQUEST_ID] !== probe.headers[REQUEST_ID]) {
      problems.push(describe(probe, REQUEST_ID, probe.headers[REQUEST_ID], got.headers[REQUEST_ID]))
    }
    if (got.status === 401 && !/^bearer/i.test(String(got.headers['www-authenticate'] ?? ''))) {
      problems.push(describe(probe, 'www-authenticate', 'Bearer', got.headers['www-authenticate']))
    }
  }
  return problems
}

/** Without an incoming id, route 3 must invent one and use it in the header and the envelope. */
export async function checkFreshRequestId(port: number): Promise<string[]> {
  const route = ROUTES[2] as Probe
  const { [REQUEST_ID]: _drop, ...headers } = route.headers
  const answer = await fetchOnce(port, { path: route.path, headers })
  const header = answer.headers[REQUEST_ID]
  let inBody: unknown
  try {
    inBody = (JSON.parse(answer.body.toString()) as { meta?: { requestId?: unknown } }).meta
      ?.requestId
  } catch {
    inBody = undefined
  }
  if (
    answer.status !== 200 ||
    typeof header !== 'string' ||
    header.length < 8 ||
    header !== inBody
  ) {
    return [
      `fresh request id: header ${JSON.stringify(header)} and body ${JSON.stringify(inBody)} should be one new id`,
    ]
  }
  return []
}
