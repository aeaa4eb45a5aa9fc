/**
 * @module
 * `@cycle/middleware-auth`: authentication on the way in. Composable backends (JWT, opaque bearer
 * tokens, HTTP Basic, API keys, signed session cookies) set a typed `request.state.user`; guards
 * (`requireAuth`, `requirePermission`, `requireRole`, `requireScope`) refuse requests per route.
 * WebCrypto only: runs on Node, Bun, Deno and workerd.
 */
export { authenticate, getAuth } from './authenticate'
export type { AuthenticateOptions } from './authenticate'
export { requireAuth, requirePermission, requireRole, requireScope } from './guards'
export type { RequireAuthOptions } from './guards'
export { anonymousUser } from './types'
export type {
  AnonymousUser,
  Authenticated,
  AuthBackend,
  AuthInfo,
  AuthState,
  AuthSuccess,
  GuardNeeds,
  GuardUser,
  PermissionHolder,
  RoleHolder,
  UserLoader,
  UserOf,
} from './types'
export { jwtBackend, scopesOf } from './backends/jwt'
export type { JwtBackendOptions } from './backends/jwt'
export { bearerBackend } from './backends/bearer'
export type { BearerBackendOptions } from './backends/bearer'
export { basicBackend } from './backends/basic'
export type { BasicBackendOptions } from './backends/basic'
export { apiKeyBackend } from './backends/api-key'
export type { ApiKeyBackendOptions } from './backends/api-key'
export { sessionBackend } from './backends/session'
export type { SessionBackend, SessionBackendOptions } from './backends/session'
export { issueSession, clearSession } from './session/cookie'
export type { SessionCookieOptions, CookieTarget } from './session/cookie'
export { createJwtVerifier } from './jwt/verify'
export type { JwtVerifier, JwtVerifyOptions, JwksOptions } from './jwt/verify'
export { signJwt } from './jwt/sign'
export type { SignJwtOptions } from './jwt/sign'
export type { JwtAlgorithm, VerifyKeyInput } from './jwt/keys'
export { timingSafeEqual } from './timing-safe-equal'
