/**
 * @module
 * `validate()`: request validation through Standard Schema (zod, valibot, arktype, …) before the
 * view runs. Parsed values land on `request.state.valid`; failures are 422 problems whose
 * `errors` list points into the request with RFC 6901 JSON pointers (`/body/title`).
 */
import {
  ImproperlyConfigured,
  UnprocessableEntity,
  type CycleRequest,
  type HookMiddleware,
  type ValidationIssue,
} from '@cycle/core'
import { escapePointer } from './serialize'
import { isStandardSchema, type StandardSchemaV1 } from './standard-schema'

/** The parts of a request {@link validate} can check. */
export type RequestPart = 'params' | 'query' | 'body'

/** Schemas per request part. */
export interface RequestSchemas {
  /** Route parameters (`request.params`, already converted by the URL converters). */
  params?: StandardSchemaV1
  /** The query string as an object: one string per key, or a string array for repeated keys. */
  query?: StandardSchemaV1
  /** The JSON body (`request.json()`: 415 on another content type, 400 on malformed JSON). */
  body?: StandardSchemaV1
}

/** The parsed values a {@link validate} middleware stores, typed from each schema's output. */
export type Validated<S extends RequestSchemas> = {
  [K in keyof S & RequestPart]: S[K] extends StandardSchemaV1
    ? StandardSchemaV1.InferOutput<S[K]>
    : never
}

/** What {@link validate} adds to `request.state`. */
export interface ValidState<S extends RequestSchemas> {
  /** The validated, parsed values (merged when several `validate()` run on one route). */
  valid: Validated<S>
}

const PARTS: readonly RequestPart[] = ['params', 'query', 'body']

/** The query string as a plain object: a key's single value as a string, repeats as an array. */
export function queryObject(query: URLSearchParams): Record<string, string | string[]> {
  // Null prototype: a `?__proto__=x` key stays data.
  const out = Object.create(null) as Record<string, string | string[]>
  for (const [key, value] of query) {
    const prev = out[key]
    if (prev === undefined) out[key] = value
    else if (Array.isArray(prev)) prev.push(value)
    else out[key] = [prev, value]
  }
  return out
}

/** Turns a Standard Schema issue into a `{ pointer, detail }` entry rooted at the request part. */
export function toValidationIssue(
  part: RequestPart,
  issue: StandardSchemaV1.Issue
): ValidationIssue {
  let pointer = `/${part}`
  for (const segment of issue.path ?? []) {
    const key = typeof segment === 'object' && segment !== null ? segment.key : segment
    const token = typeof key === 'symbol' ? (key.description ?? '') : String(key)
    pointer += '/' + escapePointer(token)
  }
  return { pointer, detail: issue.message }
}

async function input(request: CycleRequest, part: RequestPart): Promise<unknown> {
  if (part === 'params') return request.params
  if (part === 'query') return queryObject(request.query)
  // Core's reader raises 415 / 400 / 413 itself; they pass through as they are.
  return request.json()
}

/**
 * Validates route parameters, query and JSON body before the view. Use it route-scoped
 * (`path(..., { middleware: [validate({...})] })`). All parts are checked and every issue is
 * reported together, in a 422 `UnprocessableEntity` problem with an `errors` list.
 *
 * @param schemas a Standard Schema per part; at least one
 * @returns a hook middleware named `validate` that adds `valid` to `request.state`
 * @throws {ImproperlyConfigured} `ERR_BAD_OPTION` when a schema is not a Standard Schema
 *
 * @example
 * ```ts
 * const createNote = validate({ body: z.object({ title: z.string().min(1) }) })
 * type Req = CycleRequest<StateOf<[typeof createNote]>>
 * path('notes/', (req: Req) => json({ title: req.state.valid.body.title }, 201), {
 *   methods: ['POST'],
 *   middleware: [createNote],
 * })
 * // POST {"title":""} → 422 {"errors":[{"pointer":"/body/title","detail":"Too small: …"}], …}
 * ```
 */
export function validate<const S extends RequestSchemas>(
  schemas: S
): HookMiddleware<ValidState<S>> {
  if (typeof schemas !== 'object' || schemas === null) {
    throw new ImproperlyConfigured('ERR_BAD_OPTION', 'validate() needs { body?, query?, params? }.')
  }
  for (const key of Object.keys(schemas)) {
    if (!PARTS.includes(key as RequestPart)) {
      throw new ImproperlyConfigured(
        'ERR_BAD_OPTION',
        `validate(): unknown part "${key}"; use body, query or params.`
      )
    }
  }
  const parts = PARTS.filter((p) => schemas[p] !== undefined)
  if (parts.length === 0) {
    throw new ImproperlyConfigured(
      'ERR_BAD_OPTION',
      'validate() needs at least one of body, query, params.'
    )
  }
  for (const part of parts) {
    if (!isStandardSchema(schemas[part])) {
      throw new ImproperlyConfigured(
        'ERR_BAD_OPTION',
        `validate(): the ${part} schema does not implement Standard Schema v1 (no "~standard" with version 1 and validate()).`
      )
    }
  }
  return {
    name: 'validate',
    async view(request) {
      const errors: ValidationIssue[] = []
      const valid: Record<string, unknown> = {}
      for (const part of parts) {
        const schema = schemas[part] as StandardSchemaV1
        const result = await schema['~standard'].validate(await input(request, part))
        if (result.issues === undefined) valid[part] = result.value
        else if (result.issues.length === 0)
          errors.push({ pointer: `/${part}`, detail: 'Invalid value.' })
        else for (const issue of result.issues) errors.push(toValidationIssue(part, issue))
      }
      if (errors.length > 0) throw new UnprocessableEntity(errors)
      const state = request.state as { valid?: Record<string, unknown> }
      state.valid = Object.assign(state.valid ?? {}, valid)
    },
  }
}

/**
 * The values a {@link validate} middleware stored for this request, typed from its schemas. Views
 * get the types without declaring their request type (`path()` types views with the global
 * `RequestState` only).
 *
 * @param request the view's request
 * @param by the `validate()` middleware that ran on the route (only its type is used)
 * @throws {ImproperlyConfigured} `ERR_BAD_OPTION` when no `validate()` ran for this request
 *
 * @example
 * ```ts
 * const createNote = validate({ body: z.object({ title: z.string() }) })
 * path('notes/', (req) => json({ title: validated(req, createNote).body.title }, 201), {
 *   middleware: [createNote],
 * })
 * ```
 */
export function validated<S extends RequestSchemas>(
  request: { readonly state: object },
  by: HookMiddleware<ValidState<S>>
): Validated<S> {
  const valid = (request.state as { valid?: Validated<S> }).valid
  if (valid === undefined) {
    const name = by.name ?? 'validate'
    throw new ImproperlyConfigured(
      'ERR_BAD_OPTION',
      `validated() found nothing: the "${name}" middleware did not run for this route. Add it to the path's middleware.`
    )
  }
  return valid
}
