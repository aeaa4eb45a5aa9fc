/**
 * @module
 * `@cycle/middleware-conditional`: conditional requests (RFC 9110 §13). Entity tags from the body
 * or from validators the view knows, 304 Not Modified for GET/HEAD, and 412 Precondition Failed
 * checked before the view for unsafe methods (optimistic concurrency). No runtime dependencies.
 */
export { conditional } from './conditional'
export type { ConditionalOptions } from './conditional'
export { precondition } from './precondition'
export type { PreconditionOptions, ValidatorLoader } from './precondition'
export {
  etag,
  lastModified,
  toEntityTag,
  toHttpDate,
  parseHttpDate,
  matchesEntityTags,
} from './validators'
export type { EtagOptions, Validators } from './validators'
export { evaluate } from './evaluate'
export type { Evaluation, Outcome, FailedField } from './evaluate'
export { hashString, hashBytes } from './hash'
