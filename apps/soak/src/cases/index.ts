/**
 * @module
 * Every hostile class of the soak. Each case carries the exact status it must get (`expect`):
 * the soak refuses any other, under load as in `pnpm soak --cases`.
 */
import { abandoned, bodyEncoding, misdeclared, oversized, prototypeJson } from './bodies'
import { duplicateFields, hugeHeaders, slowloris } from './fields'
import { absoluteForm, badHost, encodedSlash, percentEncoding, requestLine } from './target'
import { GOOD as GOOD_CASES, jwt, pipelined } from './auth'
import type { Case, HostileClass } from './types'

export { GOOD } from './auth'
export type { Case, Ctx, HostileClass } from './types'

/** The hostile classes, in the order the summary lists them. */
export const HOSTILE: readonly HostileClass[] = [
  requestLine,
  percentEncoding,
  badHost,
  absoluteForm,
  encodedSlash,
  hugeHeaders,
  duplicateFields,
  slowloris,
  oversized,
  misdeclared,
  prototypeJson,
  bodyEncoding,
  jwt,
  abandoned,
  pipelined,
]

/** Every case by name (`class/case`), good ones included. */
export const CASES: ReadonlyMap<string, Case> = new Map(
  [...GOOD_CASES, ...HOSTILE.flatMap((h) => h.cases)].map((c) => [c.name, c] as const)
)
