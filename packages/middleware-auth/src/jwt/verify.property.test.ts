// Property: the JWT verifier never throws anything but its documented error on arbitrary input.
// `createJwtVerifier()` resolves to the payload or rejects with a 401 `HttpError` carrying an
// `invalid_token` challenge (503 is only for a remote key set that cannot be fetched, not used
// here); through `authenticate()` + `jwtBackend`, any Authorization value is a 200, a 400
// (`invalid_request`: a malformed header, RFC 6750 §3.1) or a 401.
// Inputs: arbitrary strings, three-part tokens of random base64url, and tokens correctly signed
// over arbitrary header and payload bytes (`1e400`, duplicate keys, `alg: none`, `crit`, …).
import { HttpError } from '@cycle/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { appWith, call } from '../__fixtures__/app'
import { authenticate } from '../authenticate'
import { jwtBackend } from '../backends/jwt'
import { createJwtVerifier, type JwtVerifier } from './verify'

const RUNS = { seed: Number(process.env['CYCLE_FC_SEED'] ?? 0x12c), numRuns: 300 }
const SECRET = 'a-test-secret-that-is-32-bytes-long!'
const encoder = new TextEncoder()

const b64url = (bytes: Uint8Array): string =>
  Buffer.from(bytes).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

const hmacKey = crypto.subtle.importKey(
  'raw',
  encoder.encode(SECRET),
  { name: 'HMAC', hash: 'SHA-256' },
  false,
  ['sign']
)

/** A compact JWS over the exact header and payload text given, signed with SECRET (HS256). */
async function signRaw(header: string, payload: string): Promise<string> {
  const input = `${b64url(encoder.encode(header))}.${b64url(encoder.encode(payload))}`
  const mac = await crypto.subtle.sign('HMAC', await hmacKey, encoder.encode(input))
  return `${input}.${b64url(new Uint8Array(mac))}`
}

const now = Math.floor(Date.now() / 1000)
/** Claim values that are wrong in every way a parser can see: types, magnitudes, spellings. */
// Weighted towards good values, so that most signed tokens get past the signature and the
// claim checks see one odd value at a time.
const claimText = fc.oneof(
  { arbitrary: fc.constantFrom(`${now - 60}`, `${now + 600}`), weight: 6 },
  fc.constantFrom('1e400', '-1e400', '1e-400', 'null', 'true', '"soon"', '[1]', '{}', '-0'),
  fc.constantFrom(`${now - 600}`, `${now + 600}.5`, '9007199254740993', '1e10', '0x10'),
  fc.double().map((d) => JSON.stringify(d)),
  fc.jsonValue().map((v) => JSON.stringify(v))
)
const headerText = fc.oneof(
  { arbitrary: fc.constantFrom('{"alg":"HS256"}', '{"alg":"HS256","typ":"JWT"}'), weight: 6 },
  fc.constantFrom(
    '{"alg":"HS256"}',
    '{"alg":"HS256","typ":"JWT"}',
    '{"alg":"none"}',
    '{"alg":"HS256","crit":["exp"]}',
    '{"alg":"HS256","b64":false,"crit":["b64"]}',
    '{"alg":"HS256","alg":"none"}',
    '{"alg":"RS256"}',
    '{"alg":"HS256","kid":"../../etc/passwd"}',
    '{"alg":"HS256","jku":"http://127.0.0.1:1/"}'
  ),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ unit: 'binary' })
)
const claims = fc.record(
  { exp: claimText, nbf: claimText, iat: claimText, iss: fc.constantFrom('"cycle"', '["cycle"]') },
  { requiredKeys: [] }
)
/** The payload text of raw claim texts: numbers stay as spelled (`1e400` is not Infinity here). */
const objectText = (c: Record<string, string>): string =>
  `{${Object.entries(c)
    .map(([k, v]) => `"${k}":${v}`)
    .join(',')}}`
const payloadText = fc.oneof(
  { arbitrary: claims.map((c) => objectText({ ...c, sub: '"u1"', aud: '"api"' })), weight: 3 },
  claims.map(objectText),
  fc.constantFrom('{"exp":1,"exp":99999999999}', '{"__proto__":{"exp":99999999999}}', '[]'),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ unit: 'binary' })
)
const base64urlPart = fc.stringMatching(/^[A-Za-z0-9_-]*={0,2}$/)
const token = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'binary-ascii' }),
  fc.tuple(base64urlPart, base64urlPart, base64urlPart).map((p) => p.join('.')),
  fc.array(base64urlPart, { maxLength: 6 }).map((p) => p.join('.')),
  { arbitrary: fc.record({ h: headerText, p: payloadText }), weight: 6 }
)

async function tokenOf(t: string | { h: string; p: string }): Promise<string> {
  return typeof t === 'string' ? t : signRaw(t.h, t.p)
}

/** Resolves (a payload object) or rejects with the documented 401; anything else fails. */
async function expectDocumented(verify: JwtVerifier, raw: string): Promise<void> {
  try {
    const payload = await verify(raw)
    expect(typeof payload).toBe('object')
  } catch (error) {
    expect(HttpError.isHttpError(error)).toBe(true)
    const e = error as HttpError
    expect(e.status).toBe(401)
    expect(e.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/)
  }
}

describe('the JWT verifier on arbitrary input', () => {
  const verifiers: [string, Promise<JwtVerifier>][] = [
    [
      'an HS256 secret',
      Promise.resolve(createJwtVerifier({ secret: SECRET, algorithms: ['HS256'] })),
    ],
    [
      'an ES256 public key (HS256 tokens against it too)',
      crypto.subtle
        .generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])
        .then((pair) => createJwtVerifier({ key: pair.publicKey, algorithms: ['ES256'] })),
    ],
    [
      'a secret with iss, aud, maxTokenAge and requiredClaims',
      Promise.resolve(
        createJwtVerifier({
          secret: SECRET,
          algorithms: ['HS256'],
          issuer: 'cycle',
          audience: 'api',
          maxTokenAge: '1h',
          requiredClaims: ['sub'],
        })
      ),
    ],
  ]
  for (const [label, made] of verifiers) {
    it(`resolves or rejects with a 401 invalid_token, with ${label}`, async () => {
      const verify = await made
      await fc.assert(
        fc.asyncProperty(token, async (t) => expectDocumented(verify, await tokenOf(t))),
        RUNS
      )
    })
  }

  it('through authenticate() + jwtBackend, any Authorization value is a 200, 400 or 401', async () => {
    const app = appWith([
      authenticate({ backends: [jwtBackend({ secret: SECRET, algorithms: ['HS256'] })] }),
    ])
    const scheme = fc.constantFrom('Bearer ', 'bearer ', 'Bearer  ', 'Basic ', '', 'Bearer\t')
    await fc.assert(
      fc.asyncProperty(scheme, token, async (s, t) => {
        const value = `${s}${await tokenOf(t)}`
        let headers: Record<string, string>
        try {
          headers = { authorization: new Headers({ a: value }).get('a') as string }
        } catch {
          return fc.pre(false) // a value WHATWG Headers refuses never reaches the app
        }
        const res = await call(app, '/me/', headers)
        expect([200, 400, 401]).toContain(res.status)
      }),
      RUNS
    )
  })
})
