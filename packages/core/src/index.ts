/**
 * @module
 * `@cycle/core`: Django's request/response cycle on Web standard APIs.
 *
 * client → gateway → request middlewares → URL resolution → view middlewares → view
 *        → (exception middlewares) → render → response middlewares → gateway → client
 *
 * This entry is what app authors and middleware authors import. What only a gateway author needs
 * (wrapping a platform request, writing a response out, forwarding headers, the shared gateway
 * options) is `@cycle/core/gateway`.
 */

// ── app authors: the app, URLs, views, responses, errors ──────────────────────────────────────
export { createApp, App } from './app'
export type { AppOptions, AppEvents, Register, RegisteredUrls } from './app'
export { path, include, defineUrls } from './urls/conf'
export type {
  PathEntry,
  IncludeEntry,
  UrlEntry,
  PathOptions,
  IncludeOptions,
  RouteView,
  TypedView,
  MethodViews,
  UrlConf,
} from './urls/conf'
export type { RouteInfo, ResolvedRoute } from './urls/resolver'
export { registerConverter } from './urls/converters'
export type { Converter } from './urls/converters'
export type {
  ParamsOf,
  RouteNames,
  RouteMap,
  ReverseParams,
  ReverseArgs,
  ReverseArgsOf,
  ReverseQuery,
  Reverse,
  NoParams,
  ConverterValue,
} from './urls/types'
export { View } from './views'
export type { DispatchingView } from './views'
export { CycleRequest } from './request'
export type { Params, RouteMatch, TraceEntry, RequestReverse } from './request'
export {
  CycleResponse,
  json,
  text,
  html,
  redirect,
  stream,
  noContent,
  problem,
  JSON_TYPE,
  TEXT_TYPE,
  PROBLEM_TYPE,
} from './response'
export type { BodyInit, ResponseInit, ProblemDetails } from './response'
export { parseJson } from './json'
export type { JsonOptions, ProtoAction } from './json'
export { serializeCookie } from './cookies'
export type { CookieOptions } from './cookies'
export { compileSerializer, ResponseShapeError } from './serializer'
export type { JsonSchema, JsonType, ResponseSchemas, Serializer } from './serializer'
export {
  HttpError,
  BadRequest,
  Unauthorized,
  Forbidden,
  NotFound,
  MethodNotAllowed,
  NotAcceptable,
  Conflict,
  Gone,
  PayloadTooLarge,
  UnsupportedMediaType,
  UnprocessableEntity,
  TooManyRequests,
  RequestHeaderFieldsTooLarge,
  InternalServerError,
  NotImplemented,
  ServiceUnavailable,
  STATUS_TEXT,
} from './errors'
export type { HttpErrorOptions, UnauthorizedOptions, RetryOptions, ValidationIssue } from './errors'
export { ImproperlyConfigured } from './codes'
export type { CycleErrorCode } from './codes'

// ── middleware authors: hooks, typed state, what a render hook needs ──────────────────────────
export { defineMiddleware } from './middleware'
export type {
  Middleware,
  HookMiddleware,
  OnionMiddleware,
  Next,
  ViewFunction,
  MaybePromise,
  HookResult,
  ErrorHandler,
  StateOf,
  AddsOf,
  NeedsOf,
  MiddlewareState,
  CheckNeeds,
  UnmetNeed,
} from './middleware'
export type { RequestState, ConverterTypes, Simplify } from './state'
export type { HeaderMap, HeadersInit } from './headers'
export { isToken } from './headers'
export { serializerFor } from './serializer'
export { escapeHtml } from './exception-response'
