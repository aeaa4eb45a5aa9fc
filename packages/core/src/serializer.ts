/**
 * @module
 * Response schemas: a JSON Schema (the subset that describes a shape) compiled once into a
 * function that writes exactly that shape as JSON, the way Fastify's response schemas do.
 *
 * Why: `JSON.stringify` has to discover the shape of every value it meets (keys, `toJSON`, types)
 * and enter the engine's C++ for it; a serializer compiled from the schema knows the keys and
 * their order in advance and writes constant pieces. It is also an output contract: only the
 * declared properties are written (an extra field on a database row does not leak), and a value
 * of the wrong type is an error instead of a surprise on the client.
 *
 * The output is always what `JSON.stringify` writes for the value projected on the schema
 * (declared properties in schema order, then additional ones if allowed). Keywords that only
 * validate or annotate (`format`, `minLength`, `description`…) are accepted and ignored;
 * keywords that would change the shape (`anyOf`, `$ref`…) are refused at compile time.
 *
 * Where code generation from strings is disallowed (Workers) the same schema is interpreted:
 * same output, same errors, slower.
 *
 * How the pieces fit, one file each, in the order a schema goes through them:
 *
 * - `response-shape.ts`: the vocabulary — {@link JsonSchema}, {@link Serializer},
 *   {@link ResponseShapeError} (re-exported here, the public entry point).
 * - `_serializer-check.ts`: the schema is checked once and becomes a tree of nodes; every
 *   configuration error is raised there, so the two writers below only check values.
 * - `_serializer-codegen.ts`: the tree becomes generated JavaScript (with a flat one-expression
 *   path for objects of scalars), the fast path.
 * - `_serializer-interpret.ts`: the tree is walked instead, where code generation is disallowed;
 *   it is also the reference the generated code must match.
 * - `_json-string.ts`: the string quoting both writers share.
 * - This file: {@link compileSerializer} (check, then generate or else interpret), the per-status
 *   schemas of a route ({@link ResponseSerializers}) and {@link serializerFor} for middlewares.
 */
import { checkNode } from './_serializer-check'
import { generateSerializer } from './_serializer-codegen'
import { interpretSerializer } from './_serializer-interpret'
import { ImproperlyConfigured } from './codes'
import type { CycleRequest } from './request'
import type { JsonSchema, Serializer } from './response-shape'
import type { CompiledRoute } from './urls/resolver'

export { ResponseShapeError } from './response-shape'
export type { JsonSchema, JsonType, Serializer } from './response-shape'

/**
 * Compiles a response schema into a serializer.
 *
 * @param schema The shape (see {@link JsonSchema}).
 * @param where Names the schema in configuration errors (`path("me") response 200`).
 * @returns `(value) => json`; throws a {@link ResponseShapeError} when the value does not fit.
 * @throws ImproperlyConfigured (`ERR_BAD_OPTION`) on a malformed or unsupported schema.
 * @example
 * ```ts
 * const write = compileSerializer({ type: 'object', properties: { id: { type: 'integer' } } })
 * write({ id: 1, secret: 'x' }) // '{"id":1}'
 * ```
 */
export function compileSerializer(schema: JsonSchema, where = 'a response schema'): Serializer {
  const root = checkNode(schema, '', where)
  return generateSerializer(root) ?? interpretSerializer(root)
}

/**
 * Response schemas of a route, by status: an exact code (`200`), a class (`'2xx'`) or
 * `'default'`, tried in that order.
 */
export type ResponseSchemas = Readonly<
  Partial<Record<number | `${1 | 2 | 3 | 4 | 5}xx` | 'default', JsonSchema>>
>

/**
 * The compiled {@link ResponseSchemas} of a route: the serializer for a status.
 * @internal
 */
export class ResponseSerializers {
  readonly #exact: Record<number, Serializer> = Object.create(null) as Record<number, Serializer>
  readonly #classes: (Serializer | undefined)[] = []
  readonly #fallback: Serializer | undefined

  constructor(schemas: ResponseSchemas, where: string) {
    if (typeof schemas !== 'object' || schemas === null || Array.isArray(schemas)) {
      throw new ImproperlyConfigured(
        'ERR_BAD_OPTION',
        `The response schemas of ${where} must be an object keyed by status, like { 200: schema }.`
      )
    }
    let fallback: Serializer | undefined
    for (const key of Object.keys(schemas)) {
      const schema = (schemas as Record<string, JsonSchema>)[key] as JsonSchema
      const label = `${where} response ${key}`
      if (/^[1-5][0-9][0-9]$/.test(key)) this.#exact[Number(key)] = compileSerializer(schema, label)
      else if (/^[1-5]xx$/i.test(key)) this.#classes[Number(key[0])] = compileSerializer(schema, label)
      else if (key === 'default') fallback = compileSerializer(schema, label)
      else {
        throw new ImproperlyConfigured(
          'ERR_BAD_OPTION',
          `The response schemas of ${where} have a bad key "${key}": use a status (200), a class ("2xx") or "default".`
        )
      }
    }
    this.#fallback = fallback
  }

  /** The serializer for `status`, if a schema covers it. */
  for(status: number): Serializer | undefined {
    return this.#exact[status] ?? this.#classes[(status / 100) | 0] ?? this.#fallback
  }
}

/**
 * The serializer of the response schema that covers `status` on the route `request` resolved to,
 * if any. The app uses it for pending data; a middleware that renders data itself (a format or
 * envelope middleware) calls it so that the route's schema holds for its output too.
 *
 * @example
 * ```ts
 * const write = serializerFor(request, response.status)
 * response.body = write === undefined ? JSON.stringify(doc) : write(doc)
 * ```
 */
export function serializerFor(request: CycleRequest, status: number): Serializer | undefined {
  return (request.route as CompiledRoute | null)?.serializers?.for(status)
}
