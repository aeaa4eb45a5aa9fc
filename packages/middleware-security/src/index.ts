/**
 * @module
 * `@cycle/middleware-security`: Django's SecurityMiddleware and CsrfViewMiddleware for Cycle.
 * `securityHeaders()` sets HSTS (HTTPS only, trusted proxies included), `nosniff`,
 * `Referrer-Policy`, framing, COOP/CORP/COEP, `Permissions-Policy` and a Content-Security-Policy
 * with a per-request nonce, and can redirect to HTTPS; `csrf()` refuses cross-site unsafe requests
 * by `Sec-Fetch-Site` and `Origin`, with signed double-submit tokens for clients that send
 * neither. No runtime dependencies (WebCrypto).
 */
export { securityHeaders, isOrigin } from './headers'
export type {
  SecurityHeadersOptions,
  SecurityHeadersState,
  HstsOptions,
  HttpsRedirectOptions,
  ReferrerPolicy,
  PermissionsAllowlist,
} from './headers'
export { buildCsp, createNonce, CSP_DIRECTIVES } from './csp'
export type { CspOptions, CspDirectives, CspValue, CspNonceDirective } from './csp'
export { csrf, csrfToken } from './csrf'
export type { CsrfOptions, CsrfTokenOptions } from './csrf'
