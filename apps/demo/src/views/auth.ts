/**
 * @module
 * `POST /api/auth/token`: username and password in, a signed JWT out.
 */
import { Unauthorized } from '@cycle/core'
import { signJwt } from '@cycle/middleware-auth'
import { validate, validated } from '@cycle/middleware-format'
import { z } from 'zod'
import type { DemoContext, DemoRequest } from '../context'
import { verifyPassword } from '../passwords'
import { ISSUER } from '../settings'

/** The login body: both fields required, bounded so a huge password cannot burn CPU in PBKDF2. */
export const credentials = validate({
  body: z.object({
    username: z.string().min(1).max(64),
    password: z.string().min(1).max(1024),
  }),
})

/** The token a client sends back as `Authorization: Bearer <token>`. */
export interface TokenReply {
  token: string
  tokenType: 'Bearer'
  /** ISO 8601, the token's `exp`. */
  expiresAt: string
}

function expiryOf(token: string): string {
  // The `exp` jose wrote, read back from the payload rather than recomputed (no off-by-a-second).
  const payload = token.split('.')[1] ?? ''
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'))
  return new Date((JSON.parse(json) as { exp: number }).exp * 1000).toISOString()
}

/** Builds the login view. Wrong username and wrong password get the same 401, in the same time. */
export function tokenView(ctx: DemoContext) {
  return async function token(request: DemoRequest): Promise<TokenReply> {
    const { username, password } = validated(request, credentials).body
    const user = await ctx.store.findUserByUsername(username)
    const ok = await verifyPassword(password, user?.passwordHash ?? (await ctx.dummyHash()))
    if (user === null || !ok) {
      throw new Unauthorized('The username or password is wrong.', {
        challenge: `Bearer realm="${ISSUER}"`,
      })
    }
    const jwt = await signJwt(
      { name: user.username },
      {
        secret: ctx.settings.jwtSecret,
        algorithm: 'HS256',
        issuer: ISSUER,
        subject: user.id,
        expiresIn: ctx.settings.tokenTtl,
      }
    )
    return { token: jwt, tokenType: 'Bearer', expiresAt: expiryOf(jwt) }
  }
}
