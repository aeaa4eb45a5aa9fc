/**
 * @module
 * `@cycle/core`: Django's request/response cycle on Web standard APIs.
 *
 * client → gateway → request middlewares → URL resolution → view middlewares → view
 *        → (exception middlewares) → response middlewares → gateway → client
 */
export { createApp, App, reverse, normalizeHost } from './app'
export type { AppOptions, AppEvents, Register, RegisteredUrls } from './app'
export {
  CycleRequest,
  DEFAULT_BODY_LIMIT,
  BODY_DRAIN_BUDGET,
  BODY_DRAIN_TIMEOUT,
  parseJson,
} from './request'
export type { Params, RouteMatch, RawBody, TraceEntry } from './request'
export { WebRequest } from './web-request'
export type { WebRequestInit } from './web-request'
export {
  CycleResponse,
  json,
  text,
  html,
  redirect,
  stream,
  noContent,
  problem,
  serializeCookie,
  serializeData,
  iterableToStream,
  JSON_TYPE,
  TEXT_TYPE,
  PROBLEM_TYPE,
} from './response'
export type { BodyInit, ResponseInit, CookieOptions, ProblemDetails } from './response'
export { compileSerializer, serializerFor, ResponseShapeError } from './serializer'
export type { JsonSchema, JsonType, ResponseSchemas, Serializer } from './serializer'
export { HeaderMap } from './headers'
export type { HeadersInit } from './headers'
export { parseCookies } from './cookies'
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
  Http404,
  PermissionDenied,
  STATUS_TEXT,
} from './errors'
export type { HttpErrorOptions, UnauthorizedOptions, RetryOptions, ValidationIssue } from './errors'
export { ImproperlyConfigured } from './codes'
export type { CycleErrorCode } from './codes'
export { responseForError, problemFor, prefersHtml, escapeHtml } from './exception-response'
export type { DebugInfo } from './exception-response'
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
export { View } from './views'
export type { DispatchingView } from './views'
export type { RequestState, ConverterTypes, Simplify } from './state'
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
export {
  registerConverter,
  strConverter,
  intConverter,
  slugConverter,
  uuidConverter,
  pathConverter,
} from './urls/converters'
export type { Converter } from './urls/converters'
export { Resolver } from './urls/resolver'
export type { CompiledRoute, Endpoint, RouteInfo, ResolverOptions } from './urls/resolver'
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
