import { describe, expect, it } from 'vitest'
import { CookieJar } from './cookie-jar'

describe('CookieJar', () => {
  it('stores cookies and renders a Cookie header', () => {
    const jar = new CookieJar()
    expect(jar.header()).toBeNull()
    jar.store(['a=1; Path=/; HttpOnly', 'b=x%20y; SameSite=Lax'])
    expect(jar.header()).toBe('a=1; b=x%20y')
    expect(jar.toObject()).toEqual({ a: '1', b: 'x%20y' })
  })

  it('replaces a cookie of the same name', () => {
    const jar = new CookieJar()
    jar.store(['a=1'])
    jar.store(['a=2'])
    expect(jar.toObject()).toEqual({ a: '2' })
  })

  it('deletes on Max-Age<=0 or a past Expires, and Max-Age wins over Expires', () => {
    const jar = new CookieJar()
    jar.store(['a=1', 'b=2', 'c=3', 'd=4'])
    const now = Date.parse('2030-01-01T00:00:00Z')
    jar.store(
      [
        'a=; Max-Age=0',
        'b=; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
        'c=5; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60',
        'd=6; Expires=Fri, 01 Jan 2100 00:00:00 GMT',
      ],
      now
    )
    expect(jar.toObject()).toEqual({ c: '5', d: '6' })
  })

  it('ignores malformed lines', () => {
    const jar = new CookieJar()
    jar.store(['', 'novalue', '=nothing', '; Path=/'])
    expect(jar.header()).toBeNull()
  })

  it('can be set by hand and cleared', () => {
    const jar = new CookieJar()
    jar.set('sid', 'abc')
    expect(jar.header()).toBe('sid=abc')
    jar.clear()
    expect(jar.toObject()).toEqual({})
  })
})
