/**
 * @module
 * Hostile tokens on the guarded route, and pipelined requests; plus the good requests the soak
 * mixes in (the ones the keep-alive lanes send).
 */
import { createHmac } from 'node:crypto'
import { SOAK_SECRET } from '../target'
import { one, postJson, raw, type Case, type Ctx, type HostileClass } from './types'

const b64 = (text: string | Buffer): string => Buffer.from(text).toString('base64url')

/** An HS256 token over the exact header and payload text, signed with the soak's secret. */
export function signRaw(header: string, payload: string, secret = SOAK_SECRET): string {
  const input = `${b64(header)}.${b64(payload)}`
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
}

const HS256 = '{"alg":"HS256","typ":"JWT"}'
const inAnHour = (): number => Math.floor(Date.now() / 1000) + 3600
const me = (c: Ctx, token: string) =>
  raw(c, 'GET', '/me/', { headers: [['Authorization', `Bearer ${token}`]] })

export const jwt: HostileClass = {
  name: 'jwt',
  cases: [
    one('jwt/garbage', (c) => me(c, 'not.a.token'), { expect: [401] }),
    one(
      'jwt/alg-none',
      (c) => me(c, `${b64('{"alg":"none"}')}.${b64(`{"sub":"x","exp":${inAnHour()}}`)}.`),
      {
        expect: [401],
      }
    ),
    one(
      'jwt/wrong-key',
      (c) => me(c, signRaw(HS256, `{"sub":"x","exp":${inAnHour()}}`, 'x'.repeat(32))),
      {
        expect: [401],
      }
    ),
    one('jwt/expired', (c) => me(c, signRaw(HS256, '{"sub":"x","exp":1000}')), { expect: [401] }),
    one('jwt/no-exp', (c) => me(c, signRaw(HS256, '{"sub":"x"}')), { expect: [401] }),
    // 1e400 parses as Infinity: a claim that is not a finite number is refused.
    one('jwt/exp-infinite', (c) => me(c, signRaw(HS256, '{"sub":"x","exp":1e400}')), {
      expect: [401],
    }),
    one(
      'jwt/nbf-minus-infinite',
      (c) => me(c, signRaw(HS256, `{"sub":"x","exp":${inAnHour()},"nbf":-1e400}`)),
      { expect: [401] }
    ),
    one(
      'jwt/iat-infinite',
      (c) => me(c, signRaw(HS256, `{"sub":"x","exp":${inAnHour()},"iat":1e400}`)),
      { expect: [401] }
    ),
    one('jwt/exp-string', (c) => me(c, signRaw(HS256, `{"sub":"x","exp":"${inAnHour()}"}`)), {
      expect: [401],
    }),
    // Compact tokens are unpadded base64url (RFC 7515 §2): anything else is malformed.
    one('jwt/padded', (c) => me(c, `${c.token}=`), { expect: [401] }),
    one('jwt/not-base64url', (c) => me(c, `${c.token.slice(0, -2)}+/`), { expect: [401] }),
    one('jwt/huge', (c) => me(c, `${c.token}${'A'.repeat(12_000)}`), { expect: [401] }),
    one(
      'jwt/empty-bearer',
      (c) => raw(c, 'GET', '/me/', { headers: [['Authorization', 'Bearer ']] }),
      { expect: [400] }
    ),
    // A scheme no backend handles: unauthenticated, so the guard answers 401.
    one(
      'jwt/other-scheme',
      (c) => raw(c, 'GET', '/me/', { headers: [['Authorization', 'Basic !!!']] }),
      { expect: [401] }
    ),
  ],
}

export const pipelined: HostileClass = {
  name: 'pipelined',
  cases: [
    {
      name: 'pipelined/good-then-garbage',
      exchange: (c) => ({ send: [raw(c, 'GET', '/'), 'HELLO\r\n\r\n'], responses: 2 }),
      expect: [200, 400],
    },
    {
      name: 'pipelined/ten',
      exchange: (c) => ({
        send: [Buffer.concat(Array.from({ length: 10 }, (_, i) => raw(c, 'GET', `/items/${i}/`)))],
        responses: 10,
      }),
      expect: [200],
    },
  ],
}

/** The good requests: each must get a 200, on a kept-alive connection. */
export const GOOD: readonly Case[] = [
  one('good/text', (c) => raw(c, 'GET', '/'), { expect: [200] }),
  one('good/param', (c) => raw(c, 'GET', '/items/42/'), { expect: [200] }),
  one('good/post-json', (c) => postJson(c, '{"title":"a","tags":[1,2,3]}'), { expect: [200] }),
  one('good/jwt', (c) => me(c, c.token), { expect: [200] }),
  one('good/path-param', (c) => raw(c, 'GET', '/files/docs/a%20b.txt'), { expect: [200] }),
  one('good/slow', (c) => raw(c, 'GET', '/slow/'), { expect: [200] }),
]
