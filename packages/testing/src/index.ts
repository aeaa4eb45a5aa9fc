/**
 * @module
 * `@cycle/testing`: an in-process test client for Cycle apps, and the conformance fixture app
 * gateways are tested against. The scenarios live in `@cycle/testing/scenarios`, the vitest
 * registration in `@cycle/testing/suite`.
 */
export { createTestClient } from './client'
export type {
  Handler,
  QueryInit,
  TestClient,
  TestClientOptions,
  TestRequestInit,
  TestResponse,
} from './client'
export { CookieJar } from './cookie-jar'
export { createFixtureApp } from './fixture/app'
export { TRUST_FORMS, TRUST_FORM_NAMES, trustFormOf } from './fixture/trust'
export type { TrustForm } from './fixture/trust'
export {
  BROKEN_STREAM_MESSAGE,
  ERROR_SECRET,
  LARGE_BODY_SIZE,
  SMALL_BODY_LIMIT,
  largeByte,
} from './fixture/constants'
