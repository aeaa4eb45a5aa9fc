import { SignJWT, exportJWK, exportPKCS8, exportSPKI, generateKeyPair } from 'jose'
import { describe, expect, it } from 'vitest'
import { appWith, call } from '../__fixtures__/app'
import { authenticate } from '../authenticate'
import { signJwt } from '../jwt/sign'
import { jwtBackend } from './jwt'

const SECRET = 'a-test-secret-that-is-32-bytes-long!'
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

describe('jwtBackend with public keys', () => {
  it('verifies RS256 with a PEM public key, and PS256 with the same PEM', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true })
    const pem = await exportSPKI(publicKey)
    // PEM carries no algorithm: one RSA key pair serves both paddings once imported per algorithm.
    const privatePem = await exportPKCS8(privateKey)
    const app = appWith([
      authenticate({ backends: [jwtBackend({ key: pem, algorithms: ['RS256', 'PS256'] })] }),
    ])
    for (const algorithm of ['RS256', 'PS256'] as const) {
      const token = await signJwt({ sub: 'rsa' }, { privateKey: privatePem, algorithm })
      expect((await call(app, '/me/', bearer(token))).body['user']).toMatchObject({ sub: 'rsa' })
    }
  })

  it('refuses an HS256 token signed with the RSA public key PEM (key confusion)', async () => {
    const { publicKey } = await generateKeyPair('RS256', { extractable: true })
    const pem = await exportSPKI(publicKey)
    const forged = await new SignJWT({ sub: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(pem))
    const app = appWith([
      authenticate({ backends: [jwtBackend({ key: pem, algorithms: ['RS256'] })] }),
    ])
    const res = await call(app, '/me/', bearer(forged))
    expect(res.status).toBe(401)
    expect(res.body['detail']).toBe('The token algorithm is not allowed.')
    // Even a getKey that hands out the RSA key for a mixed allow-list cannot be fooled.
    const mixed = appWith([
      authenticate({
        backends: [jwtBackend({ getKey: () => publicKey, algorithms: ['RS256', 'HS256'] })],
      }),
    ])
    const res2 = await call(mixed, '/me/', bearer(forged))
    expect(res2.status).toBe(401)
    expect(res2.headers.get('www-authenticate')).toContain('error="invalid_token"')
  })

  it('verifies ES256 with a public JWK and EdDSA with a CryptoKey', async () => {
    const es = await generateKeyPair('ES256', { extractable: true })
    const jwk = await exportJWK(es.publicKey)
    const ed = await generateKeyPair('EdDSA')
    const app = appWith([
      authenticate({
        backends: [
          jwtBackend({ key: jwk, algorithms: ['ES256'], skipNonJwt: true, header: 'x-es' }),
          jwtBackend({ key: ed.publicKey, algorithms: ['EdDSA'] }),
        ],
      }),
    ])
    const esToken = await signJwt({ sub: 'es' }, { privateKey: es.privateKey, algorithm: 'ES256' })
    expect((await call(app, '/me/', { 'x-es': `Bearer ${esToken}` })).body['user']).toMatchObject({
      sub: 'es',
    })
    const edToken = await signJwt({ sub: 'ed' }, { privateKey: ed.privateKey, algorithm: 'EdDSA' })
    expect((await call(app, '/me/', bearer(edToken))).body['user']).toMatchObject({ sub: 'ed' })
    // A token signed by another key of the same kind fails.
    const other = await generateKeyPair('EdDSA')
    const foreign = await signJwt(
      { sub: 'x' },
      { privateKey: other.privateKey, algorithm: 'EdDSA' }
    )
    expect((await call(app, '/me/', bearer(foreign))).body['detail']).toBe(
      'The token signature is invalid.'
    )
  })
})

describe('jwtBackend options', () => {
  const bad = (options: unknown) => () => jwtBackend(options as Parameters<typeof jwtBackend>[0])

  it('requires an algorithm allow-list and refuses none', () => {
    expect(bad({ secret: SECRET })).toThrow(/algorithms is required/)
    expect(bad({ secret: SECRET, algorithms: [] })).toThrow(/algorithms is required/)
    expect(bad({ secret: SECRET, algorithms: ['none'] })).toThrow(
      /"none" algorithm is never accepted/
    )
    expect(bad({ secret: SECRET, algorithms: ['HS1'] })).toThrow(/unsupported algorithm/)
  })

  it('refuses mixing key families', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true })
    expect(bad({ secret: SECRET, algorithms: ['RS256'] })).toThrow(/needs a public key/)
    expect(bad({ key: publicKey, algorithms: ['HS256'] })).toThrow(/key confusion/)
    expect(bad({ key: await exportSPKI(publicKey), algorithms: ['RS256', 'HS256'] })).toThrow(
      /key confusion/
    )
    expect(bad({ jwks: 'https://id.example/jwks', algorithms: ['HS256'] })).toThrow(/key confusion/)
    expect(bad({ key: privateKey, algorithms: ['RS256'] })).toThrow(/private key/)
    expect(bad({ key: await exportJWK(privateKey), algorithms: ['RS256'] })).toThrow(/private JWK/)
    expect(bad({ key: 'not a pem', algorithms: ['RS256'] })).toThrow(/PEM public key/)
  })

  it('refuses short secrets, PEM secrets and ambiguous key sources', async () => {
    expect(bad({ secret: 'short', algorithms: ['HS256'] })).toThrow(/at least 32 bytes/)
    expect(bad({ secret: SECRET, algorithms: ['HS512'] })).toThrow(/at least 64 bytes/)
    expect(bad({ key: { kty: 'oct', k: 'c2hvcnQ' }, algorithms: ['HS256'] })).toThrow(
      /at least 32 bytes/
    )
    const pem = await exportSPKI((await generateKeyPair('RS256', { extractable: true })).publicKey)
    expect(bad({ secret: pem, algorithms: ['HS256'] })).toThrow(/looks like a PEM key/)
    expect(bad({ algorithms: ['HS256'] })).toThrow(/exactly one of secret, key, jwks or getKey/)
    expect(bad({ secret: SECRET, getKey: () => null, algorithms: ['HS256'] })).toThrow(
      /got secret, getKey/
    )
    expect(bad({ jwks: 'not a url', algorithms: ['RS256'] })).toThrow(/absolute URL/)
    expect(bad({ jwks: 'file:///etc/jwks', algorithms: ['RS256'] })).toThrow(/http\(s\) URL/)
  })

  it('refuses bad header, scheme, realm and limits', () => {
    expect(bad({ secret: SECRET, algorithms: ['HS256'], header: 'bad header' })).toThrow(
      /header name/
    )
    expect(bad({ secret: SECRET, algorithms: ['HS256'], scheme: 'Bear er' })).toThrow(/scheme/)
    expect(bad({ secret: SECRET, algorithms: ['HS256'], realm: 'a\r\nb' })).toThrow(
      /printable ASCII/
    )
    expect(bad({ secret: SECRET, algorithms: ['HS256'], maxTokenLength: 0 })).toThrow(
      /positive integer/
    )
    expect(bad({ secret: SECRET, algorithms: ['HS256'], toUser: 'x' })).toThrow(
      /toUser must be a function/
    )
  })
})
