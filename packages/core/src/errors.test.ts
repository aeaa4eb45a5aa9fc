import { describe, expect, it } from 'vitest'
import * as errors from './errors'
import { HttpError, MethodNotAllowed, TooManyRequests, Unauthorized, UnprocessableEntity } from './errors'
import { problemFor, prefersHtml } from './exception-response'

describe('HttpError family', () => {
  const cases: [keyof typeof errors, number][] = [
    ['BadRequest', 400], ['Unauthorized', 401], ['Forbidden', 403], ['NotFound', 404],
    ['NotAcceptable', 406], ['Conflict', 409], ['Gone', 410], ['PayloadTooLarge', 413],
    ['UnsupportedMediaType', 415], ['TooManyRequests', 429], ['RequestHeaderFieldsTooLarge', 431],
    ['InternalServerError', 500], ['NotImplemented', 501], ['ServiceUnavailable', 503],
  ]
  it.each(cases)('%s has status %i and a title', (name, status) => {
    const Cls = errors[name] as new (detail?: string) => HttpError
    const e = new Cls('why')
    expect(e.status).toBe(status)
    expect(e.title).toBe(errors.STATUS_TEXT[status])
    expect(HttpError.isHttpError(e)).toBe(true)
    expect(e).toBeInstanceOf(Error)
  })

  it('405 and 422 carry their data', () => {
    expect(new MethodNotAllowed(['GET', 'POST']).headers).toEqual({ allow: 'GET, POST' })
    const e = new UnprocessableEntity([{ pointer: '/title', detail: 'Required' }])
    expect(problemFor(e, false)).toMatchObject({ status: 422, errors: [{ pointer: '/title', detail: 'Required' }] })
  })

  it('401 and 429 set their headers', () => {
    expect(new Unauthorized('no', { challenge: 'Bearer realm="api"' }).headers['www-authenticate']).toBe('Bearer realm="api"')
    expect(new TooManyRequests(undefined, { retryAfter: 1.2 }).headers['retry-after']).toBe('2')
  })

  it('brand-checks across copies of core, and not by shape alone', () => {
    const foreign = Object.assign(new Error('x'), { status: 404 })
    expect(HttpError.isHttpError(foreign)).toBe(false)
    Object.defineProperty(foreign, Symbol.for('cycle.http-error'), { value: true })
    expect(HttpError.isHttpError(foreign)).toBe(true)
  })

  it('refuses statuses that are not errors', () => {
    expect(() => new HttpError(200)).toThrow(RangeError)
  })

  it('hides 5xx details unless exposed; shows them in debug', () => {
    expect(problemFor(new errors.InternalServerError('db down'), false)).not.toHaveProperty('detail')
    expect(problemFor(new errors.ServiceUnavailable('db down', { expose: true }), false)).toHaveProperty('detail', 'db down')
    expect(problemFor(new Error('x'), true)).toMatchObject({ detail: 'Error: x' })
  })

  it('prefersHtml follows Accept order and q-values', () => {
    expect(prefersHtml('text/html,application/xhtml+xml,*/*;q=0.8')).toBe(true)
    expect(prefersHtml('application/json, text/html;q=0.5')).toBe(false)
    expect(prefersHtml('*/*')).toBe(false)
    expect(prefersHtml(null)).toBe(false)
    expect(prefersHtml('text/html;q=0')).toBe(false)
  })
})
