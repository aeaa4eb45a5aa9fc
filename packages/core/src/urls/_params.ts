/**
 * @module
 * Builds `request.params` objects. Adding properties one by one to `{}` with computed names is
 * the slowest part of a match (a megamorphic keyed store per parameter), so each endpoint gets a
 * factory compiled once at startup that returns an object literal of the right shape, as
 * find-my-way does (see `_codegen.ts`). The parameter names are validated identifiers (never
 * `__proto__`), quoted besides. Without code generation a plain loop builds the same object.
 */
import type { Params } from '../request'
import { generate } from './_codegen'

/** Builds a params object from the converted values, in pattern order. */
export type ParamsFactory = (values: readonly unknown[]) => Params

const empty: ParamsFactory = () => ({})

/**
 * A params factory for these parameter names (validated identifiers, in capture order).
 * @param names Parameter names.
 */
export function paramsFactory(names: readonly string[]): ParamsFactory {
  if (names.length === 0) return empty
  const fields = names.map((name, k) => `${JSON.stringify(name)}: v[${k}]`).join(', ')
  const generated = generate(['v'], `return { ${fields} }`)
  if (generated !== null) return generated as ParamsFactory
  return (values) => {
    const params: Params = {}
    for (let k = 0; k < names.length; k++) params[names[k] as string] = values[k]
    return params
  }
}
