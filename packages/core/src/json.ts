/**
 * @module
 * The one parser for request JSON: `JSON.parse` plus the prototype-poisoning check Fastify and
 * secure-json-parse make. A `__proto__` key, or a `constructor` key whose value has a
 * `prototype` key, is refused (400) by default, or removed on request, in every spelling JSON
 * allows: a key may escape any of its characters (`"\u005f\u005fproto__"` is `__proto__`).
 *
 * The check costs nothing on the common body: the parsed value is walked only when the raw text
 * could spell one of those keys, which a regular expression over the text decides first.
 */
import { ImproperlyConfigured } from './codes'
import { BadRequest } from './errors'

/** What to do with a prototype-poisoning key: refuse the body (400) or delete the key. */
export type ProtoAction = 'error' | 'remove'

/** Options of {@link parseJson}, and of `createApp({ json })`. */
export interface JsonOptions {
  /**
   * `'error'` (default): a body with a `__proto__` key, or a `constructor` key whose value has a
   * `prototype` key, is a 400 problem. `'remove'`: those keys are deleted and the rest is kept.
   */
  protoAction?: ProtoAction
}

// A JSON key may write any character as `\uXXXX` (hex digits in either case): match each
// character of `word` as itself or as its escape, so that no spelling gets past the check.
function spelled(word: string): string {
  let out = ''
  for (const ch of word) {
    const hex = ch.charCodeAt(0).toString(16).padStart(4, '0')
    const esc = [...hex].map((d) => (/[a-f]/.test(d) ? `[${d}${d.toUpperCase()}]` : d)).join('')
    out += `(?:${ch}|\\\\u${esc})`
  }
  return out
}

/** A `"__proto__"` or `"constructor"` key in any spelling, followed by its colon. */
const SUSPECT = new RegExp(`"(?:${spelled('__proto__')}|${spelled('constructor')})"\\s*:`)

/**
 * Whether `text` could hold a poisoning key. Two `indexOf` scans (fast, no regex) rule out the
 * usual body; only a text with one of the words, or with any `\u` escape, meets the expression.
 */
function suspect(text: string): boolean {
  if (
    text.indexOf('__proto__') === -1 &&
    text.indexOf('constructor') === -1 &&
    text.indexOf('\\u') === -1
  ) {
    return false
  }
  return SUSPECT.test(text)
}

const hasOwn = Object.prototype.hasOwnProperty

/**
 * Parses request JSON. Empty or malformed text is a 400; prototype-poisoning keys are a 400 as
 * well (or deleted, with `protoAction: 'remove'`). Look-alikes stay: `"constructor": "x"`,
 * `"proto"`, `"__proto"` are plain data.
 *
 * @param text the body, already decoded from UTF-8
 * @param options `protoAction` (default `'error'`)
 * @returns the parsed value
 * @throws {BadRequest} on empty or malformed JSON, or a poisoning key with `protoAction: 'error'`
 * @example
 * ```ts
 * parseJson('{"a":1}') // { a: 1 }
 * parseJson('{"__proto__":{"admin":true}}') // throws BadRequest (400)
 * parseJson('{"__proto__":{},"a":1}', { protoAction: 'remove' }) // { a: 1 }
 * ```
 */
export function parseJson(text: string, options?: JsonOptions): unknown {
  if (text.length === 0) throw new BadRequest('The request body is empty; expected JSON.')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new BadRequest(`The request body is not valid JSON: ${(error as Error).message}`)
  }
  if (typeof value === 'object' && value !== null && suspect(text)) {
    scrub(value, options?.protoAction === 'remove')
  }
  return value
}

/**
 * Walks the parsed value for poisoning keys, deleting them (`remove`) or throwing at the first.
 * Iterative: `JSON.parse` accepts nesting far deeper than the call stack would.
 */
function scrub(root: object, remove: boolean): void {
  const stack: [object, string][] = [[root, '']]
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [node, pointer] = top
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) push(stack, node[i], `${pointer}/${i}`)
      continue
    }
    const obj = node as Record<string, unknown>
    if (hasOwn.call(obj, '__proto__')) {
      if (!remove) throw poisoned('__proto__', pointer)
      delete obj['__proto__']
    }
    const ctor = hasOwn.call(obj, 'constructor') ? obj['constructor'] : undefined
    if (typeof ctor === 'object' && ctor !== null && hasOwn.call(ctor, 'prototype')) {
      if (!remove) throw poisoned('constructor.prototype', pointer)
      delete obj['constructor']
    }
    for (const key of Object.keys(obj)) push(stack, obj[key], `${pointer}/${escapeToken(key)}`)
  }
}

function push(stack: [object, string][], value: unknown, pointer: string): void {
  if (typeof value === 'object' && value !== null) stack.push([value, pointer])
}

function escapeToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1')
}

function poisoned(key: string, pointer: string): BadRequest {
  const where = pointer === '' ? 'at the top level' : `at ${JSON.stringify(pointer)}`
  return new BadRequest(
    `The JSON body has a "${key}" key ${where}; such keys are refused (prototype poisoning).`
  )
}

/** Validates `createApp({ json })` and returns the proto action, at once. */
export function compileJsonOptions(options: JsonOptions | undefined): ProtoAction {
  if (options === undefined) return 'error'
  const action = (options as JsonOptions | null)?.protoAction ?? 'error'
  if (action !== 'error' && action !== 'remove') {
    throw new ImproperlyConfigured(
      'ERR_BAD_OPTION',
      `json.protoAction must be 'error' or 'remove', got ${JSON.stringify(action)}.`
    )
  }
  return action
}
