/**
 * Tokens jose would let through: dates that are not finite numbers, and compact serializations
 * that are not unpadded, canonical base64url. Each is hand-signed with a valid HMAC, so only the
 * check under test can refuse it.
 */
import { describe, expect, it } from 'vitest'
import { hs256, respell } from '../__fixtures__/tokens'
import { isCompactJws } from './compact'
import { createJwtVerifier } from './verify'

const SECRET = 'a-test-secret-that-is-32-bytes-long!'
const now = (): number => Math.floor(Date.now() / 1000)
const verify = createJwtVerifier({ secret: SECRET, algorithms: ['HS256'] })

describe('JWT dates must be finite numbers', () => {
  it('refuses exp, nbf or iat written as 1e400 (Infinity) or -1e400', async () => {
    const cases = [
      [`{"sub":"a","exp":1e400}`, 'exp'],
      [`{"sub":"a","exp":${now() + 60},"nbf":-1e400}`, 'nbf'],
      [`{"sub":"a","exp":${now() + 60},"iat":1e400}`, 'iat'],
      [`{"sub":"a","exp":${now() + 60},"iat":-1e400}`, 'iat'],
    ] as const
    for (const [payload, claim] of cases) {
      await expect(verify(await hs256(payload)), payload).rejects.toMatchObject({
        status: 401,
        detail: `The token "${claim}" claim is not a finite number.`,
        headers: { 'www-authenticate': expect.stringContaining('error="invalid_token"') },
      })
    }
  })

  it('still accepts finite dates, fractional ones included', async () => {
    const payload = `{"sub":"a","exp":${now() + 60}.5,"nbf":${now() - 5},"iat":${now()}}`
    expect(await verify(await hs256(payload))).toMatchObject({ sub: 'a' })
  })
})

describe('compact serialization (RFC 7515 §2, §7.1)', () => {
  it('refuses padding, standard-base64 characters, and non-canonical spellings', async () => {
    const good = await hs256(`{"sub":"a","exp":${now() + 60}}`)
    expect(await verify(good)).toMatchObject({ sub: 'a' })
    const [h, p, s] = good.split('.') as [string, string, string]
    const forms = [
      `${good}=`,
      `${h}.${p}.${s}==`,
      `${h}=.${p}.${s}`,
      `${h}.${p}.${s.replace(/-/g, '+').replace(/_/g, '/')}${s.includes('-') || s.includes('_') ? '' : '+'}`,
      `${h}.${p}.${s.slice(0, 10)} ${s.slice(10)}`,
      `${h}.${p}.${s.slice(0, -2)}`,
      `${h}.${p}`,
      `${h}.${p}.${s}.x`,
      respell(good),
    ]
    for (const token of forms) {
      expect(isCompactJws(token), token).toBe(false)
      await expect(verify(token), token).rejects.toMatchObject({
        status: 401,
        detail: 'The token is malformed.',
      })
    }
  })

  it('accepts every canonical length of a part (0, 2 and 3 characters past a multiple of 4)', () => {
    expect(isCompactJws('eyI.eyI.')).toBe(true)
    expect(isCompactJws('eyJh.eyJhYg.AQ')).toBe(true)
    expect(isCompactJws('eyJh.eyJhYg.AR')).toBe(false)
    expect(isCompactJws('eyJh.eyJhYmM.AQE')).toBe(true)
    expect(isCompactJws('eyJh.eyJhYmM.AQF')).toBe(false)
  })
})
