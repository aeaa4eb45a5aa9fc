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
 * A URL conf's named routes as one object type, qualified name → full pattern
 * (`{ home: ''; 'api:notes:detail': 'api/notes/<uuid:id>/' }`). Built once per URL conf, so each
 * `reverse()` call is a property lookup instead of a search through every route: the type cost
 * of an app grows linearly with its routes (see `docs/performance.md`). A conf whose names are
 * not literal types gives `{ [name: string]: string }`.
 */
export type RouteMap<Urls extends readonly unknown[]> = {
  [R in NamedRoutes<Urls[number]> as R['name']]: R['pattern']
}

/**
 * The qualified names of a URL conf's named routes (`'notes:detail'`, `'api:notes:detail'`).
 * Un-namespaced includes add no prefix; unnamed routes are left out. `string` when the URL conf's
 * names are not literal types.
 */
export type RouteNames<Urls extends readonly unknown[]> = NamedRoutes<Urls[number]>['name']

/**
 * The parameters `reverse(name)` needs, include prefixes' parameters included. `Params` when
 * the URL conf's names are not literal types.
 *
 * The pattern is read with `RouteMap<Urls> extends { [N in Name]: infer P }`, which looks up one
 * property, rather than `RouteMap<Urls>[Name]` (which needs `Name extends keyof RouteMap<Urls>`):
 * TypeScript recomputes the `keyof` of a mapped type with an `as` clause over every route each
 * time, which made each `reverse()` call cost as much as the whole URL conf.
 */
export type ReverseParams<
  Urls extends readonly unknown[],
  Name extends string,
> = string extends RouteNames<Urls>
  ? Params
  : RouteMap<Urls> extends { readonly [N in Name]: infer P extends string }
  ? ParamsOf<P>
  : never

/** A query string for `reverse()`. */
export type ReverseQuery = Record<string, string> | URLSearchParams

/**
 * The params of a route that takes none: only `{}` (or nothing) is accepted, so a stray
 * `{ id }` is an error instead of an extra parameter `reverse()` refuses at run time.
 */
export type NoParams = { readonly [param: string]: never }

/**
 * The rest arguments of `reverse(name, ...)` for parameters `P`: params optional only when there
 * are none, and then only `{}`.
 */
export type ReverseArgs<P> = [keyof P] extends [never]
  ? [params?: NoParams, query?: ReverseQuery]
  : Record<never, never> extends P
  ? [params?: P, query?: ReverseQuery]
  : [params: P, query?: ReverseQuery]

type IsUnion<T, All = T> = T extends unknown ? ([All] extends [T] ? false : true) : never

/**
 * The rest arguments of `reverse(name, ...)` for a route name of a URL conf.
 *
 * When `Name` is not one known name (an unknown name makes TypeScript fall back to the union of
 * every name), the arguments are left loose, so the error reported is the one on the name
 * (`'nope' is not assignable to 'home' | 'notes:detail' | …`), not a count of arguments. A name
 * typed as a union of several routes has no single parameter type: its params are `Params`.
 */
export type ReverseArgsOf<
  Urls extends readonly unknown[],
  Name extends string,
> = string extends RouteNames<Urls>
  ? [params?: Params, query?: ReverseQuery]
  : [Name] extends [never]
  ? [params?: Params, query?: ReverseQuery]
  : true extends IsUnion<Name>
  ? [params?: Params, query?: ReverseQuery]
  : ReverseArgs<ReverseParams<Urls, Name>>

/**
 * A `reverse()` typed for a URL conf: the signature of `app.reverse()` and `request.reverse()`,
 * for any function that builds URLs from one (a request-scoped reverse, typed through
 * `Reverse<RegisteredUrls>`).
 *
 * @example
 * ```ts
 * const link: Reverse<typeof urls> = (name, ...args) => app.reverse(name, ...args)
 * ```
 */
export interface Reverse<Urls extends readonly unknown[]> {
  <N extends RouteNames<Urls>>(name: N, ...args: ReverseArgsOf<Urls, N>): string
}
