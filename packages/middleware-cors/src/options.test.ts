/**
 * Options are checked when `cors()` is called: every mistake is an `ImproperlyConfigured`
 * (`ERR_BAD_OPTION`) at startup, with a message that says what to write instead.
 */
import { ImproperlyConfigured } from '@cycle/core'
import { describe, expect, it } from 'vitest'
import { cors } from './cors'
import type { CorsOptions } from './options'

function refusal(options: unknown): ImproperlyConfigured {
  try {
    cors(options as CorsOptions)
  } catch (e) {
    expect(e).toBeInstanceOf(ImproperlyConfigured)
    expect((e as ImproperlyConfigured).code).toBe('ERR_BAD_OPTION')
    expect((e as Error).message).toMatch(/^cors\(\): /)
    return e as ImproperlyConfigured
  }
  throw new Error(`cors(${JSON.stringify(options)}) was accepted`)
}

describe('cors() options', () => {
  it("refuses origin '*' with credentials: true, saying why", () => {
    const e = refusal({ origin: '*', credentials: true })
    expect(e.message).toContain("origin '*' cannot be combined with credentials: true")
    expect(e.message).toContain('List the origins')
  })

  it("refuses 'null' with credentials: true (any site can make a sandboxed iframe)", () => {
    const e = refusal({ origin: ['https://a.example', 'null'], credentials: true })
    expect(e.message).toContain("origin[1]: 'null' cannot be combined with credentials: true")
    expect(() => cors({ origin: ['https://a.example', 'null'] })).not.toThrow()
  })

  it('requires an origin policy (no default that silently allows or refuses)', () => {
    expect(refusal({}).message).toContain('origin is required')
    expect(refusal(undefined).message).toContain('options are required')
    expect(refusal(null).message).toContain('options are required')
  })

  it('refuses origin: true/false (reflect-any) and other types', () => {
    expect(refusal({ origin: true }).message).toContain('not supported')
    expect(refusal({ origin: false }).message).toContain('not supported')
    expect(refusal({ origin: 42 }).message).toContain('got number')
    expect(refusal({ origin: null }).message).toContain('got null')
    expect(refusal({ origin: [] }).message).toContain('the list is empty')
    expect(refusal({ origin: [42] }).message).toContain('origin[0] must be')
  })

  it('refuses origin strings that are not origins, naming the fix', () => {
    expect(refusal({ origin: 'https://example.com/' }).message).toContain(
      'no trailing slash: write "https://example.com"'
    )
    expect(refusal({ origin: ['https://example.com/api'] }).message).toContain('no path')
    expect(refusal({ origin: 'https://example.com?x' }).message).toContain('no path')
    expect(refusal({ origin: 'example.com' }).message).toContain('has a scheme')
    expect(refusal({ origin: 'https://*.example.com' }).message).toContain('use a RegExp')
    expect(refusal({ origin: 'https://user@example.com' }).message).toContain('user info')
    expect(refusal({ origin: 'https://exa mple.com' }).message).toContain('not an origin')
    expect(refusal({ origin: 'https://example.com:99999' }).message).toContain('not valid')
    expect(refusal({ origin: '' }).message).toContain('not an origin')
    expect(refusal({ origin: ['https://a.example', '*'] }).message).toContain('stands alone')
  })

  it('refuses the same origin twice, after canonicalisation', () => {
    expect(
      refusal({ origin: ['https://example.com', 'HTTPS://EXAMPLE.COM:443'] }).message
    ).toContain('listed twice')
  })

  it('refuses a RegExp with the g or y flag (lastIndex would refuse every other request)', () => {
    expect(refusal({ origin: /^https:\/\/a\.example$/g }).message).toContain('the g flag')
    expect(refusal({ origin: [/^https:\/\/a\.example$/y] }).message).toContain('the y flag')
  })

  it('checks methods, header lists, maxAge and booleans', () => {
    expect(refusal({ origin: '*', methods: [] }).message).toContain('non-empty list')
    expect(refusal({ origin: '*', methods: 'GET' }).message).toContain('non-empty list')
    expect(refusal({ origin: '*', methods: ['GE T'] }).message).toContain('not a method')
    expect(refusal({ origin: '*', methods: ['*'] }).message).toContain("'*' is not supported")
    expect(refusal({ origin: '*', methods: ['get', 'GET'] }).message).toContain('twice')
    expect(refusal({ origin: '*', allowedHeaders: 'X-A' }).message).toContain("or 'reflect'")
    expect(refusal({ origin: '*', allowedHeaders: ['X A'] }).message).toContain(
      'is not a header name'
    )
    expect(refusal({ origin: '*', exposedHeaders: ['X-A', 'x-a'] }).message).toContain('twice')
    expect(refusal({ origin: '*', exposedHeaders: 'X-A' }).message).toContain('a list')
    expect(refusal({ origin: '*', maxAge: -1 }).message).toContain('maxAge')
    expect(refusal({ origin: '*', maxAge: 1.5 }).message).toContain('maxAge')
    expect(refusal({ origin: '*', maxAge: '600' }).message).toContain('maxAge')
    expect(refusal({ origin: '*', credentials: 'yes' }).message).toContain('credentials')
    expect(refusal({ origin: '*', privateNetwork: 1 }).message).toContain('privateNetwork')
  })

  it("refuses '*' header lists with credentials (browsers read them literally then)", () => {
    const origin = ['https://app.example']
    expect(refusal({ origin, credentials: true, allowedHeaders: ['*'] }).message).toContain(
      'header named "*"'
    )
    expect(refusal({ origin, credentials: true, exposedHeaders: ['*'] }).message).toContain(
      'header named "*"'
    )
    expect(() => cors({ origin: '*', exposedHeaders: ['*'], allowedHeaders: ['*'] })).not.toThrow()
  })

  it('refuses unknown options (a typo is not a silent default)', () => {
    expect(refusal({ origin: '*', credential: true }).message).toContain(
      'unknown option "credential"'
    )
  })

  it('accepts the documented shapes', () => {
    for (const origin of [
      '*',
      'https://app.example.com',
      'null',
      /^https:\/\/[a-z]+\.example\.com$/,
      ['https://a.example', /^https:\/\/b\.example$/, 'null', 'capacitor://localhost'],
      () => true,
      async () => false,
    ]) {
      expect(cors({ origin }).name).toBe('cors')
    }
  })
})
