/**
 * @module
 * Builds `request.params` objects. Adding properties one by one to `{}` with computed names is
 * the slowest part of a match (a megamorphic keyed store per parameter), so each endpoint gets a
 * factory compiled once at startup that returns an object literal of the right shape, as
 * find-my-way does. The parameter names are validated identifiers (never `__proto__`), so the
 * generated source is safe. Where code generation is disallowed (Cloudflare Workers, or Node's
 * `--disallow-code-generation-from-strings`) a plain loop is used instead: same result, slower.
 */
import type { Params } from '../request'

/** Builds a params object from the converted values, in pattern order. */
export type ParamsFactory = (values: readonly unknown[]) => Params

let canGenerate: boolean | undefined
const empty: ParamsFactory = () => ({})

/**
 * A params factory for these parameter names.
 * @param names Parameter names in capture order (validated identifiers).
 * @param generate Whether to try code generation (tests turn it off to cover the fallback).
 */
export function paramsFactory(names: readonly string[], generate = true): ParamsFactory {
  if (names.length === 0) return empty
  if (generate && canGenerate !== false) {
    const fields = names.map((name, k) => `${JSON.stringify(name)}: v[${k}]`).join(', ')
    try {
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      const factory = new Function('v', `return { ${fields} }`) as ParamsFactory
      canGenerate = true
      return factory
    } catch {
      canGenerate = false
    }
  }
  return (values) => {
    const params: Params = {}
    for (let k = 0; k < names.length; k++) params[names[k] as string] = values[k]
    return params
  }
}
