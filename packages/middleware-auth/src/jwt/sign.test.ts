import { decodeJwt, decodeProtectedHeader, exportPKCS8, generateKeyPair } from 'jose'
import { describe, expect, it } from 'vitest'
import { signJwt } from './sign'
import { createJwtVerifier } from './verify'

const SECRET = 'a-test-secret-that-is-32-bytes-long!'

describe('signJwt', () => {
  it('sets iat, exp (1h by default) and the registered claims', async () => {
    const before = Math.floor(Date.now() / 1000)
    const token = await signJwt(
      { scope: 'a b' },
      {
        secret: SECRET,
        algorithm: 'HS256',
        issuer: 'me',
        audience: ['x', 'y'],
        subject: 'u1',
        jwtId: true,
        header: { kid: 'k1' },
      }
    )
    const claims = decodeJwt(token)
    expect(claims).toMatchObject({ scope: 'a b', iss: 'me', aud: ['x', 'y'], sub: 'u1' })
    expect(claims.iat).toBeGreaterThanOrEqual(before)
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600)
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/)
    expect(decodeProtectedHeader(token)).toEqual({ kid: 'k1', alg: 'HS256' })
  })

  it('treats numeric expiresIn and notBefore as seconds from now', async () => {
    const token = await signJwt(
      {},
      { secret: SECRET, algorithm: 'HS256', expiresIn: 90, notBefore: 10 }
    )
    const { iat, exp, nbf } = decodeJwt(token) as { iat: number; exp: number; nbf: number }
    expect(exp - iat).toBe(90)
    expect(nbf - iat).toBe(10)
  })

  it('signs tokens the verifier accepts, with secrets and PEM private keys', async () => {
    const hs = await signJwt({ sub: 'a' }, { secret: SECRET, algorithm: 'HS256' })
    expect(await createJwtVerifier({ secret: SECRET, algorithms: ['HS256'] })(hs)).toMatchObject({
      sub: 'a',
    })
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true })
    const es = await signJwt(
      { sub: 'b' },
      { privateKey: await exportPKCS8(privateKey), algorithm: 'ES256' }
    )
    expect(await createJwtVerifier({ key: publicKey, algorithms: ['ES256'] })(es)).toMatchObject({
      sub: 'b',
    })
  })

  it('refuses bad options', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256')
    await expect(signJwt({}, { algorithm: 'HS256' })).rejects.toThrow(/exactly one of secret/)
    await expect(signJwt({}, { secret: 'short', algorithm: 'HS256' })).rejects.toThrow(
      /at least 32 bytes/
    )
    await expect(signJwt({}, { secret: SECRET, algorithm: 'RS256' })).rejects.toThrow(
      /needs a public key|private key/
    )
    await expect(signJwt({}, { privateKey, algorithm: 'HS256' })).rejects.toThrow(/shared secret/)
    await expect(signJwt({}, { privateKey: publicKey, algorithm: 'RS256' })).rejects.toThrow(
      /not a private key/
    )
    await expect(signJwt({}, { privateKey: 'nope', algorithm: 'RS256' })).rejects.toThrow(/PKCS#8/)
    await expect(signJwt({}, { secret: SECRET, algorithm: 'none' as 'HS256' })).rejects.toThrow(
      /never accepted/
    )
    await expect(signJwt([] as never, { secret: SECRET, algorithm: 'HS256' })).rejects.toThrow(
      /plain object/
    )
  })
})
