/**
 * @module
 * `@cycle/middleware-format`: one standard answer for every response. Success data in an
 * envelope, errors as RFC 9457 problems, content negotiation (JSON, HTML, plain text), safe
 * serialization, and Standard Schema validation with 422 problems. No runtime dependencies.
 */
export { format } from './format'
export { defaultEnvelope } from './options'
export type { FormatOptions, Envelope, Representation } from './options'
export { withMeta, isWithMeta, addMeta, metaOf } from './meta'
export type { Meta, WithMeta } from './meta'
export { raw, markRaw, isRaw } from './raw'
export { validate, validated, queryObject, toValidationIssue } from './validate'
export type { RequestSchemas, RequestPart, Validated, ValidState } from './validate'
export { isStandardSchema } from './standard-schema'
export type { StandardSchemaV1 } from './standard-schema'
export { negotiate, parseAccept, MAX_RANGES, MAX_PARAMS } from './negotiate'
export type { MediaRange } from './negotiate'
export { serialize, toPlain, SerializationError, escapePointer, MAX_DEPTH } from './serialize'
export type { PlainValue } from './serialize'
export { toProblem } from './problem'
