import { describe, expect, it } from 'vitest'
import { buildCsp, compileCsp, createNonce, withNonce } from './csp'

describe('buildCsp', () => {
  it('turns a directives object into one header value, camelCase or kebab-case', () => {
    expect(
      buildCsp({
        defaultSrc: ["'self'"],
        'img-src': ["'self'", 'data:', 'https://cdn.example.com'],
        objectSrc: ["'none'"],
        upgradeInsecureRequests: true,
        frameAncestors: ["'none'"],
        scriptSrcAttr: false,
      })
    ).toBe(
      "default-src 'self'; img-src 'self' data: https://cdn.example.com; object-src 'none'; upgrade-insecure-requests; frame-ancestors 'none'"
    )
  })

  it('writes token-list directives with or without tokens', () => {
    expect(buildCsp({ sandbox: true })).toBe('sandbox')
    expect(buildCsp({ sandbox: ['allow-scripts', 'allow-forms'] })).toBe(
      'sandbox allow-scripts allow-forms'
    )
    expect(buildCsp({ requireTrustedTypesFor: ["'script'"] })).toBe(
      "require-trusted-types-for 'script'"
    )
  })

  it.each([
    [{ scriptSrc: ["'self'; script-src *"] }, /';'/],
    [{ scriptSrc: ["'self', script-src *"] }, /','/],
    [{ scriptSrc: ['https://a.example\r\nSet-Cookie: x=1'] }, /line break/],
    [{ scriptSrc: ['https://a.example\n'] }, /line break/],
    [{ scriptSrc: ['https://a.example https://b.example'] }, /space/],
    [{ scriptSrc: [''] }, /non-empty/],
    [{ scriptSrc: ['self'] }, /single quotes/],
    [{ scriptSrc: ["'nonce-abc'"] }, /fixed nonce/],
    [{ scriptSrc: [] }, /empty list/],
    [{ scriptSrc: ["'none'", "'self'"] }, /cannot be combined/],
    [{ scriptSource: ["'self'"] }, /unknown directive "scriptSource"/],
    [{ 'navigate-to': ["'self'"] }, /unknown directive/],
    [{ scriptSrc: ["'self'"], 'script-src': ["'self'"] }, /given twice/],
    [{ upgradeInsecureRequests: ["'self'"] }, /takes no value/],
    [{ scriptSrc: true }, /needs a source list/],
    [{ scriptSrc: "'self'" as unknown as string[] }, /list of sources/],
    [{}, /empty/],
  ])('refuses %j at startup', (directives, message) => {
    expect(() => buildCsp(directives)).toThrow(message)
  })

  it('refuses bad options', () => {
    expect(() => compileCsp({ directives: { defaultSrc: ["'self'"] }, nonce: true })).toThrow(
      /script-src or style-src/
    )
    expect(() =>
      compileCsp({ directives: { scriptSrc: ["'self'"] }, nonce: ['img-src' as 'script-src'] })
    ).toThrow(/cannot carry a nonce/)
    expect(() =>
      compileCsp({ directives: { scriptSrc: ["'self'"] }, nonce: ['style-src'] })
    ).toThrow(/not in directives/)
    expect(() => compileCsp({ directives: { scriptSrc: ["'none'"] }, nonce: true })).toThrow(
      /'none' cannot be combined with a nonce/
    )
    expect(() =>
      compileCsp({ directives: { scriptSrc: ["'self'"] }, reportOnly: 'yes' as unknown as boolean })
    ).toThrow(/reportOnly/)
    expect(() =>
      compileCsp({ directives: { scriptSrc: ["'self'"] }, nonces: true } as never)
    ).toThrow(/unknown option "nonces"/)
  })

  it('throws ImproperlyConfigured with ERR_BAD_OPTION', () => {
    let caught: unknown
    try {
      buildCsp({ bogus: ["'self'"] })
    } catch (error) {
      caught = error
    }
    expect((caught as { code: string }).code).toBe('ERR_BAD_OPTION')
    expect((caught as Error).name).toBe('ImproperlyConfigured')
  })

  it('leaves nonce slots in the directives asked for', () => {
    const c = compileCsp({
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'strict-dynamic'"],
        styleSrc: ["'self'"],
        imgSrc: ['data:'],
      },
      nonce: true,
    })
    expect(c.name).toBe('content-security-policy')
    expect(withNonce(c.parts, 'N')).toBe(
      "default-src 'self'; script-src 'self' 'strict-dynamic' 'nonce-N'; style-src 'self' 'nonce-N'; img-src data:"
    )
    const only = compileCsp({
      directives: { scriptSrc: ["'self'"], styleSrc: ["'self'"] },
      nonce: ['script-src'],
      reportOnly: true,
    })
    expect(only.name).toBe('content-security-policy-report-only')
    expect(withNonce(only.parts, 'N')).toBe("script-src 'self' 'nonce-N'; style-src 'self'")
  })
})

describe('createNonce', () => {
  it('is 128 random bits in base64, fresh each time', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 1000; i++) {
      const n = createNonce()
      expect(n).toMatch(/^[A-Za-z0-9+/]{22}==$/)
      expect(atob(n)).toHaveLength(16)
      seen.add(n)
    }
    expect(seen.size).toBe(1000)
  })
})
