import { createApp, defineUrls, path, text, type CycleRequest, type StateOf } from '@cycle/core'
import { createTestClient } from '@cycle/testing'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { isValidRequestId, requestId, REQUEST_ID_PATTERN } from './request-id'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

const typed = defineUrls<{ requestId: string }>()

function appWith(mw = requestId()) {
  const middleware = [mw] as const
  return createApp({
    middleware,
    urls: [
      typed.path('', (req) => ({ id: req.state.requestId })),
      path('boom/', () => {
        throw new Error('boom')
      }),
    ],
  })
}

describe('requestId()', () => {
  it('generates a UUID, puts it on the typed state and the response', async () => {
    const client = createTestClient(appWith())
    const res = await client.get('/')
    const id = res.headers.get('x-request-id')
    expect(id).toMatch(UUID)
    expect(res.json).toEqual({ id })
    const again = await client.get('/')
    expect(again.headers.get('x-request-id')).not.toBe(id)
  })

  it('keeps a valid incoming id', async () => {
    const client = createTestClient(appWith())
    for (const incoming of [
      'abc-123',
      'Root=1-5759e988-bd862e3fe1be46a994272793',
      'a'.repeat(200),
      'x_y.z:1+2/3=@4',
    ]) {
      const res = await client.get('/', { headers: { 'x-request-id': incoming } })
      expect(res.headers.get('x-request-id')).toBe(incoming)
      expect(res.json).toEqual({ id: incoming })
    }
  })

  it('replaces an invalid incoming id with a generated one', async () => {
    const client = createTestClient(appWith())
    const refused = [
      'a'.repeat(201),
      'has space',
      'quote"d',
      'com,ma',
      'semi;colon',
      'ünïcode',
      '<script>',
    ]
    for (const incoming of refused) {
      const res = await client.get('/', { headers: { 'x-request-id': incoming } })
      expect(res.headers.get('x-request-id'), incoming).toMatch(UUID)
    }
  })

  it('refuses CR, LF and NUL (which a WHATWG Headers cannot even carry)', () => {
    for (const v of ['a\r\nSet-Cookie: x=1', 'a\nb', 'a\rb', 'a\0b', ''])
      expect(isValidRequestId(v)).toBe(false)
    // A request whose header() returns them as a lenient gateway might: a new id is made.
    const mw = requestId({ generate: () => 'fresh' })
    const state: Record<string, unknown> = {}
    const req = { header: () => 'a\r\nSet-Cookie: x=1', state } as unknown as CycleRequest<never>
    ;(mw as { request: (r: CycleRequest<never>) => void }).request(req)
    expect(state.requestId).toBe('fresh')
    expect(REQUEST_ID_PATTERN.source).toContain('{1,200}')
  })

  it('checks ids exactly as REQUEST_ID_PATTERN says (every character, every length bound)', () => {
    // Each code unit alone and inside a valid id: the table loop agrees with the documented
    // expression on all of them.
    for (let c = 0; c < 0x3000; c++) {
      const ch = String.fromCharCode(c)
      for (const v of [ch, `id-${ch}`, `${ch}-id`]) {
        expect(isValidRequestId(v), JSON.stringify(v)).toBe(REQUEST_ID_PATTERN.test(v))
      }
    }
    for (const n of [1, 199, 200, 201, 1000]) {
      const v = 'a'.repeat(n)
      expect(isValidRequestId(v), `length ${n}`).toBe(REQUEST_ID_PATTERN.test(v))
    }
    expect(isValidRequestId('a'.repeat(200))).toBe(true)
    expect(isValidRequestId('a'.repeat(201))).toBe(false)
    expect(isValidRequestId('Root=1-67891233-abcdef012345678912345678')).toBe(true)
  })

  it('sets the header on error responses too', async () => {
    const client = createTestClient(appWith())
    const res = await client.get('/boom/', { headers: { 'x-request-id': 'err-1' } })
    expect(res.status).toBe(500)
    expect(res.headers.get('x-request-id')).toBe('err-1')
  })

  it('trustIncoming: false ignores the client, header and generate are configurable', async () => {
    let n = 0
    const client = createTestClient(
      appWith(
        requestId({ trustIncoming: false, header: 'X-Correlation-Id', generate: () => `id-${++n}` })
      )
    )
    const res = await client.get('/', { headers: { 'x-correlation-id': 'mine' } })
    expect(res.headers.get('x-correlation-id')).toBe('id-1')
    expect(res.headers.get('x-request-id')).toBeNull()
  })

  it('refuses bad options at startup', () => {
    expect(() => requestId({ header: 'bad header' })).toThrow(/not a header name/)
    expect(() => requestId({ generate: 'x' as never })).toThrow(/generate/)
  })

  it('types request.state.requestId for views', () => {
    const middleware = [requestId()] as const
    expectTypeOf<StateOf<typeof middleware>>().toEqualTypeOf<{ requestId: string }>()
    const app = createApp({ middleware, urls: [path('', () => text('ok'))] })
    expect(app).toBeDefined()
  })
})
