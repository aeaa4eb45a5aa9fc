import { describe, expect, it } from 'vitest'
import { AssertionError, assert, assertEqual, assertProblem, assertStatus } from './assert'

const problem = (body: unknown, status = 404, type = 'application/problem+json'): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } })

describe('conformance assertions', () => {
  it('assert throws an AssertionError with the message', () => {
    expect(() => assert(false, 'nope')).toThrow(new AssertionError('nope'))
    expect(() => assert(1, 'fine')).not.toThrow()
  })

  it('assertEqual compares deeply and shows both values', () => {
    expect(() => assertEqual({ a: [1] }, { a: [1] }, 'x')).not.toThrow()
    expect(() => assertEqual({ a: 1 }, { a: 2 }, 'body')).toThrow(
      'body: expected {"a":2}, got {"a":1}'
    )
  })

  it('assertStatus shows the start of the body on mismatch', async () => {
    await expect(assertStatus(new Response('oops', { status: 500 }), 200, 'GET /')).rejects.toThrow(
      'GET /: expected status 200, got 500 with body "oops"'
    )
  })

  it('assertProblem accepts a problem document and returns it', async () => {
    const doc = { type: 'about:blank', title: 'Not Found', status: 404 }
    await expect(assertProblem(problem(doc), 404, 'x')).resolves.toEqual(doc)
  })

  it('assertProblem refuses the wrong content type, bad JSON and missing members', async () => {
    const doc = { type: 'about:blank', title: 'Not Found', status: 404 }
    await expect(assertProblem(problem(doc, 404, 'application/json'), 404, 'x')).rejects.toThrow(
      /expected Content-Type application\/problem\+json/
    )
    await expect(
      assertProblem(
        new Response('{', { status: 404, headers: { 'content-type': 'application/problem+json' } }),
        404,
        'x'
      )
    ).rejects.toThrow(/not JSON/)
    await expect(assertProblem(problem({ ...doc, status: 400 }), 404, 'x')).rejects.toThrow(
      /problem "status"/
    )
    await expect(assertProblem(problem({ status: 404, title: 'T' }), 404, 'x')).rejects.toThrow(
      /"type"/
    )
    await expect(
      assertProblem(problem({ status: 404, type: 't', title: '' }), 404, 'x')
    ).rejects.toThrow(/"title"/)
  })
})
