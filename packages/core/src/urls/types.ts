/**
 * @module
 * Type-level URL utilities: parameter types from a pattern string, route names and the
 * parameters `reverse()` needs, computed from the URL conf's literal types. Kept deliberately
 * small (a few conditional types, no route schema); they handle any depth of `include()`.
 */
import type { Params } from '../request'
import type { ConverterTypes, Simplify } from '../state'
import type { IncludeEntry, PathEntry, UrlEntry } from './conf'

/** Value types of the built-in converters. */
export interface BuiltinConverterTypes {
  str: string
  int: number
  slug: string
  uuid: string
  path: string
}

/**
 * The value type a converter produces: built-ins, then the augmentable `ConverterTypes`,
 * else `unknown`.
 */
export type ConverterValue<C extends string> = C extends keyof BuiltinConverterTypes
  ? BuiltinConverterTypes[C]
  : C extends keyof ConverterTypes
  ? ConverterTypes[C]
  : unknown

type ParamOf<Inner extends string> = Inner extends `${infer C}:${infer N}`
  ? { [K in N]: ConverterValue<C> }
  : { [K in Inner]: string }

type Collect<P extends string> = P extends `${string}<${infer Inner}>${infer Rest}`
  ? ParamOf<Inner> & Collect<Rest>
  : {}

/**
 * The parameters of a route pattern, typed from its converters (`Params` for a non-literal).
 *
 * @example
 * ```ts
 * type P = ParamsOf<'articles/<int:year>/<slug>/'> // { year: number; slug: string }
 * ```
 */
export type ParamsOf<P extends string> = string extends P ? Params : Simplify<Collect<P>>

type Qualify<NS extends string, N extends string> = NS extends '' ? N : `${NS}:${N}`

/** Every named route of a URL conf as `{ name, pattern }` (qualified name, full pattern). */
export type NamedRoutes<E, NS extends string = '', Pre extends string = ''> = E extends PathEntry<
  infer P,
  infer N
>
  ? N extends string
    ? { name: Qualify<NS, N>; pattern: `${Pre}${P}` }
    : never
  : E extends IncludeEntry<infer Pr, infer Ns, infer C>
  ? readonly UrlEntry[] extends C
    ? { name: string; pattern: string } // children not typed as a tuple: names unknown
    : NamedRoutes<C[number], Ns extends string ? Qualify<NS, Ns> : NS, `${Pre}${Pr}`>
  : never

/**
 * The qualified names of a URL conf's named routes (`'notes:detail'`, `'api:notes:detail'`).
 * Un-namespaced includes add no prefix; unnamed routes are left out.
 */
export type RouteNames<Urls extends readonly unknown[]> = NamedRoutes<Urls[number]>['name']

/**
 * The parameters `reverse(name)` needs, include prefixes' parameters included. `Params` when
 * the URL conf's names are not literal types.
 */
export type ReverseParams<
  Urls extends readonly unknown[],
  Name extends string
> = string extends RouteNames<Urls>
  ? Params
  : ParamsOf<Extract<NamedRoutes<Urls[number]>, { name: Name }>['pattern']>

/** A query string for `reverse()`. */
export type ReverseQuery = Record<string, string> | URLSearchParams

/** The rest arguments of `reverse(name, ...)`: params optional only when there are none. */
export type ReverseArgs<P> = Record<never, never> extends P
  ? [params?: P, query?: ReverseQuery]
  : [params: P, query?: ReverseQuery]
