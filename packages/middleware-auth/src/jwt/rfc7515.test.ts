/**
 * Known-answer test: RFC 7515 Appendix A.1, "Example JWS Using HMAC SHA-256".
 * The token and key are copied from the RFC; the token expired in March 2011, so the clock is set
 * back (or the tolerance stretched) to check the signature itself.
 */
import { describe, expect, it } from 'vitest'
import { appWith, call } from '../__fixtures__/app'
import { authenticate } from '../authenticate'
import { jwtBackend } from '../backends/jwt'
import { createJwtVerifier } from './verify'

const JWS =
  'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9' +
  '.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ' +
  '.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'
const JWK = {
  kty: 'oct',
  k: 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow',
}
const IN_2011 = () => new Date('2011-01-01T00:00:00Z')

const b64url = (s: string) => btoa(s).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')
const [header, payload, signature] = JWS.split('.') as [string, string, string]

describe('RFC 7515 A.1 (HS256)', () => {
  it('verifies with the published key when the clock is set to 2011', async () => {
    const verify = createJwtVerifier({ key: JWK, algorithms: ['HS256'], currentDate: IN_2011 })
    expect(await verify(JWS)).toEqual({
      iss: 'joe',
      exp: 1300819380,
      'http://example.com/is_root': true,
    })
  })

  it('verifies through the backend with a huge clock tolerance', async () => {
    const app = appWith([
      authenticate({
        backends: [
          jwtBackend({ key: JWK, algorithms: ['HS256'], clockTolerance: 100 * 365 * 86400 }),
        ],
      }),
    ])
    const res = await call(app, '/me/', { authorization: `Bearer ${JWS}` })
    expect(res.status).toBe(200)
    expect(res.body['user']).toMatchObject({ iss: 'joe', isAuthenticated: true })
  })

  it('is refused as expired today', async () => {
    const verify = createJwtVerifier({ key: JWK, algorithms: ['HS256'] })
    await expect(verify(JWS)).rejects.toMatchObject({
      status: 401,
      detail: 'The token has expired.',
    })
  })

  it('fails when the header says HS384 or none instead', async () => {
    const verify = createJwtVerifier({ key: JWK, algorithms: ['HS256'], currentDate: IN_2011 })
    for (const alg of ['HS384', 'none']) {
      const forged = `${b64url(`{"typ":"JWT",\r\n "alg":"${alg}"}`)}.${payload}.${signature}`
      await expect(verify(forged)).rejects.toMatchObject({
        status: 401,
        detail: 'The token algorithm is not allowed.',
      })
    }
    // Allowing HS384 does not help: the MAC was made with SHA-256.
    const both = createJwtVerifier({
      key: JWK,
      algorithms: ['HS256', 'HS384'],
      currentDate: IN_2011,
    })
    const hs384 = `${b64url('{"typ":"JWT",\r\n "alg":"HS384"}')}.${payload}.${signature}`
    await expect(both(hs384)).rejects.toMatchObject({ status: 401 })
  })

  it('fails when one byte of the signature changes', async () => {
    const verify = createJwtVerifier({ key: JWK, algorithms: ['HS256'], currentDate: IN_2011 })
    const bytes = Uint8Array.from(
      atob(signature.replace(/-/g, '+').replace(/_/g, '/') + '='),
      (c) => c.charCodeAt(0)
    )
    bytes[10] = (bytes[10] as number) ^ 0x01
    const tampered = `${header}.${payload}.${b64url(String.fromCharCode(...bytes))}`
    expect(tampered).not.toBe(JWS)
    await expect(verify(tampered)).rejects.toMatchObject({
      status: 401,
      detail: 'The token signature is invalid.',
    })
  })

  it('fails with a different key', async () => {
    const verify = createJwtVerifier({
      secret: 'x'.repeat(64),
      algorithms: ['HS256'],
      currentDate: IN_2011,
    })
    await expect(verify(JWS)).rejects.toMatchObject({ status: 401 })
  })
})
