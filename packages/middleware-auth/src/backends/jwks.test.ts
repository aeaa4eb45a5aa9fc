/**
 * Remote JWKS: a real HTTP server on 127.0.0.1 serves the key set and counts fetches, so the
 * caching and cooldown of `createRemoteJWKSet` are observed, not assumed.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, type JWK } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appWith, call } from '../__fixtures__/app'
import { authenticate } from '../authenticate'
import { signJwt } from '../jwt/sign'
import { jwtBackend } from './jwt'

let server: Server
let base: string
let hits = 0
let keys: JWK[] = []
let status = 200

const first = await generateKeyPair('RS256')
const second = await generateKeyPair('ES256')
const firstJwk = { ...(await exportJWK(first.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }
const secondJwk = { ...(await exportJWK(second.publicKey)), kid: 'k2', alg: 'ES256', use: 'sig' }

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++
    if (status !== 200) {
      res.writeHead(status).end()
      return
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

const token = (kid: string, key: CryptoKey, algorithm: 'RS256' | 'ES256', sub = 'remote') =>
  signJwt({ sub }, { privateKey: key, algorithm, header: { kid } })

const bearer = (t: string) => ({ authorization: `Bearer ${t}` })

describe('jwtBackend with a remote JWKS', () => {
  it('fetches the key set once and serves later tokens from the cache', async () => {
    hits = 0
    keys = [firstJwk]
    status = 200
    const app = appWith([
      authenticate({
        backends: [
          jwtBackend({
            jwks: `${base}/jwks-cache`,
            algorithms: ['RS256', 'ES256'],
            jwksOptions: { cooldownDuration: 60_000 },
          }),
        ],
      }),
    ])
    for (let i = 0; i < 5; i++) {
      const res = await call(
        app,
        '/me/',
        bearer(await token('k1', first.privateKey, 'RS256', `u${i}`))
      )
      expect(res.status).toBe(200)
      expect(res.body['user']).toMatchObject({ sub: `u${i}` })
    }
    expect(hits).toBe(1)
  })

  it('refetches for an unknown kid once the cooldown allows it (key rotation)', async () => {
    hits = 0
    keys = [firstJwk]
    status = 200
    const app = appWith([
      authenticate({
        backends: [
          jwtBackend({
            jwks: new URL(`${base}/jwks-rotate`),
            algorithms: ['RS256', 'ES256'],
            jwksOptions: { cooldownDuration: 0 },
          }),
        ],
      }),
    ])
    expect(
      (await call(app, '/me/', bearer(await token('k1', first.privateKey, 'RS256')))).status
    ).toBe(200)
    expect(hits).toBe(1)
    keys = [firstJwk, secondJwk] // the issuer rotates in a new key
    expect(
      await call(app, '/me/', bearer(await token('k2', second.privateKey, 'ES256')))
    ).toMatchObject({ status: 200 })
    expect(hits).toBe(2)
  })

  it('does not refetch for unknown kids during the cooldown, and refuses them', async () => {
    hits = 0
    keys = [firstJwk]
    status = 200
    const app = appWith([
      authenticate({
        backends: [
          jwtBackend({
            jwks: `${base}/jwks-cooldown`,
            algorithms: ['RS256', 'ES256'],
            jwksOptions: { cooldownDuration: 60_000 },
          }),
        ],
      }),
    ])
    expect(
      (await call(app, '/me/', bearer(await token('k1', first.privateKey, 'RS256')))).status
    ).toBe(200)
    for (let i = 0; i < 3; i++) {
      const res = await call(app, '/me/', bearer(await token('nope', second.privateKey, 'ES256')))
      expect(res.status).toBe(401)
      expect(res.headers.get('www-authenticate')).toContain(
        'error_description="No known key matches the token."'
      )
    }
    expect(hits).toBe(1)
  })

  it('refuses a token signed by a key outside the set', async () => {
    keys = [firstJwk]
    status = 200
    const rogue = await generateKeyPair('RS256')
    const app = appWith([
      authenticate({
        backends: [jwtBackend({ jwks: `${base}/jwks-rogue`, algorithms: ['RS256'] })],
      }),
    ])
    const res = await call(app, '/me/', bearer(await token('k1', rogue.privateKey, 'RS256')))
    expect(res.status).toBe(401)
    expect(res.body['detail']).toBe('The token signature is invalid.')
  })

  it('answers 503, not 401, when the key set cannot be fetched', async () => {
    keys = [firstJwk]
    status = 500
    const app = appWith([
      authenticate({
        backends: [jwtBackend({ jwks: `${base}/jwks-down`, algorithms: ['RS256'] })],
      }),
    ])
    const res = await call(app, '/me/', bearer(await token('k1', first.privateKey, 'RS256')))
    expect(res.status).toBe(503)
    status = 200
  })

  it("answers 503 even with onInvalid: 'anonymous' (a server fault is not a bad credential)", async () => {
    const unreachable = appWith([
      authenticate({
        backends: [
          jwtBackend({
            jwks: 'http://127.0.0.1:9/jwks',
            algorithms: ['RS256'],
            jwksOptions: { timeoutDuration: 2000 },
          }),
        ],
        onInvalid: 'anonymous',
      }),
    ])
    const res = await call(
      unreachable,
      '/me/',
      bearer(await token('k1', first.privateKey, 'RS256'))
    )
    expect(res.status).toBe(503)
  })
})
