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
export { ERROR_SECRET, LARGE_BODY_SIZE, SMALL_BODY_LIMIT, largeByte } from './fixture/constants'
