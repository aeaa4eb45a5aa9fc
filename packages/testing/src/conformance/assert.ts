/**
 * @module
 * A tiny assertion helper for the conformance scenarios: no test runner needed, so the scenarios
 * run under vitest, `node:test`, `deno test`, `bun test` or a plain script alike.
 */

/** Thrown by the helpers below; `name` makes it easy to tell apart from transport errors. */
export class AssertionError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'AssertionError'
  }
}

/** Throws an {@link AssertionError} with `message` unless `condition` holds. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message)
}

function show(value: unknown): string {
  if (value instanceof Uint8Array) return `Uint8Array(${value.byteLength})`
  const s = JSON.stringify(value)
  return s === undefined ? String(value) : s.length > 300 ? `${s.slice(0, 300)}…` : s
}

/** Deep equality through JSON (enough for the plain data scenarios compare). */
export function assertEqual(actual: unknown, expected: unknown, what: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new AssertionError(`${what}: expected ${show(expected)}, got ${show(actual)}`)
  }
}

/** Asserts `res.status === status`, showing the start of the body when it is not. */
export async function assertStatus(res: Response, status: number, what: string): Promise<void> {
  if (res.status === status) return
  const body = await res.text().catch(() => '<unreadable body>')
  throw new AssertionError(
    `${what}: expected status ${status}, got ${res.status} with body ${show(body.slice(0, 300))}`
  )
}

/**
 * Asserts that `res` is an RFC 9457 problem document with `status`, and returns it.
 * Checks the content type and the `type`/`title`/`status` members.
 */
export async function assertProblem(
  res: Response,
  status: number,
  what: string
): Promise<Record<string, unknown>> {
  await assertStatus(res, status, what)
  const type = res.headers.get('content-type') ?? ''
  assert(
    type.startsWith('application/problem+json'),
    `${what}: expected Content-Type application/problem+json, got ${show(type)}`
  )
  const text = await res.text()
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    throw new AssertionError(`${what}: the problem body is not JSON: ${show(text.slice(0, 300))}`)
  }
  assert(typeof doc === 'object' && doc !== null, `${what}: the problem body is not an object`)
  const problem = doc as Record<string, unknown>
  assertEqual(problem['status'], status, `${what}: problem "status"`)
  assert(typeof problem['type'] === 'string', `${what}: problem "type" must be a string`)
  assert(
    typeof problem['title'] === 'string' && problem['title'] !== '',
    `${what}: problem "title" must be a non-empty string`
  )
  return problem
}
