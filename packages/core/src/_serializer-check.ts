/**
 * @module
 * The schema checker: a {@link JsonSchema} as written by a user becomes a tree of
 * {@link Node}s, checked once at compile time. Every malformed or unsupported schema is refused
 * here with an `ImproperlyConfigured` naming the schema and the pointer inside it, so the
 * interpreter and the code generator only ever read a well-formed tree and never check anything
 * but the value.
 *
 * Keywords that would change the shape (`anyOf`, `$ref`…) are refused; keywords that only
 * validate or annotate (`format`, `minLength`…) are ignored.
 */
import { ImproperlyConfigured } from './codes'
import { escapePointer, type JsonSchema, type JsonType } from './response-shape'

/** Shape-changing keywords this compiler does not implement. */
const UNSUPPORTED = [
  'anyOf',
  'oneOf',
  'allOf',
  'not',
  '$ref',
  'if',
  'then',
  'else',
  'patternProperties',
  'prefixItems',
  'dependentSchemas',
  'unevaluatedProperties',
]

const TYPES: ReadonlySet<string> = new Set<JsonType>([
  'string',
  'number',
  'integer',
  'boolean',
  'null',
  'object',
  'array',
])

/**
 * A schema node after checking: what the interpreter and the generator both read.
 * @internal
 */
export interface Node {
  /** Schema pointer of the value (array items as `*`). */
  readonly ptr: string
  /** `null` = any JSON value. */
  readonly types: ReadonlySet<JsonType> | null
  /** What error messages say was expected. */
  readonly expected: string
  readonly props: readonly Prop[]
  /** `false`: drop; `null`: JSON.stringify; a node: that schema. */
  readonly extra: Node | null | false
  readonly declared: ReadonlySet<string>
  readonly items: Node | null
}

/**
 * A declared property of an object node.
 * @internal
 */
export interface Prop {
  readonly key: string
  readonly required: boolean
  readonly node: Node
}

/**
 * Checks `schema` (at schema pointer `ptr`) and returns its node; `where` names the schema in
 * error messages (`path("me") response 200`).
 * @internal
 */
export function checkNode(schema: unknown, ptr: string, where: string): Node {
  const at = `${where}${ptr === '' ? '' : ` at "${ptr}"`}`
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new ImproperlyConfigured('ERR_BAD_OPTION', `The schema of ${at} must be an object.`)
  }
  const s = schema as JsonSchema
  for (const keyword of UNSUPPORTED) {
    if (s[keyword] !== undefined) {
      throw new ImproperlyConfigured(
        'ERR_BAD_OPTION',
        `The schema of ${at} uses "${keyword}", which response schemas do not support. ` +
          'Leave "type" out there to write that value with JSON.stringify.'
      )
    }
  }
  let types: Set<JsonType> | null = null
  if (s.type !== undefined) {
    const list: readonly unknown[] = Array.isArray(s.type) ? s.type : [s.type]
    if (list.length === 0) {
      throw new ImproperlyConfigured('ERR_BAD_OPTION', `The "type" of ${at} is an empty list.`)
    }
    types = new Set()
    for (const t of list) {
      if (typeof t !== 'string' || !TYPES.has(t)) {
        throw new ImproperlyConfigured(
          'ERR_BAD_OPTION',
          `The schema of ${at} has an unknown type ${JSON.stringify(t) ?? String(t)}.`
        )
      }
      types.add(t as JsonType)
    }
    if (s.nullable === true) types.add('null')
  }
  const props: Prop[] = []
  const declared = new Set<string>()
  let extra: Node | null | false = false
  let items: Node | null = null
  if (types !== null && types.has('object')) {
    const properties = s.properties ?? {}
    if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
      throw new ImproperlyConfigured('ERR_BAD_OPTION', `The "properties" of ${at} must be an object.`)
    }
    const required = s.required ?? []
    if (!Array.isArray(required) || required.some((r) => typeof r !== 'string')) {
      throw new ImproperlyConfigured(
        'ERR_BAD_OPTION',
        `The "required" of ${at} must be an array of property names.`
      )
    }
    for (const key of Object.keys(properties)) {
      declared.add(key)
      props.push({
        key,
        required: required.includes(key),
        node: checkNode(properties[key], `${ptr}/${escapePointer(key)}`, where),
      })
    }
    for (const r of required as string[]) {
      if (!declared.has(r)) {
        throw new ImproperlyConfigured(
          'ERR_BAD_OPTION',
          `The schema of ${at} requires "${r}" but does not declare it in "properties".`
        )
      }
    }
    const ap = s.additionalProperties
    if (ap === true) extra = null
    else if (ap !== undefined && ap !== false) extra = checkNode(ap, `${ptr}/*`, where)
  }
  if (types !== null && types.has('array') && s.items !== undefined) {
    items = checkNode(s.items, `${ptr}/*`, where)
  }
  const expected = types === null ? 'any' : [...types].join(' or ')
  return { ptr, types, expected, props, extra, declared, items }
}
