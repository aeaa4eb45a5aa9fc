/**
 * @module
 * Groups flattened routes into endpoints (one per distinct full pattern), reporting duplicate
 * routes and duplicate names, and registering names for `reverse()`.
 */
import { ImproperlyConfigured } from '../codes'
import type { Flattened } from './_flatten'
import { paramsFactory, type ParamsFactory } from './_params'
import type { ReverseTable } from './_reverse'
import type { Step } from './_trie'
import type { ParsedPattern } from './pattern'
import type { CompiledRoute, Endpoint } from './resolver'

/** An endpoint plus what the trie needs. */
export interface EndpointImpl extends Endpoint {
  /** Parameter names in pattern order (the trie's capture order). */
  readonly names: readonly string[]
  /** Builds the params object from the converted values. */
  readonly params: ParamsFactory
}

/** One endpoint under construction: its pattern, routes, and the trie steps taken. */
export interface Build {
  /** The full pattern. */
  readonly parsed: ParsedPattern
  /** Routes answering it, in declaration order. */
  readonly routes: CompiledRoute[]
  /** Trie steps taken when inserting it (for shadowing checks). */
  readonly steps: Step<EndpointImpl>[]
  /** The compiled endpoint. */
  readonly endpoint: EndpointImpl
}

const STANDARD_METHODS: readonly string[] = [
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
]

/** A route for error messages: `"notes/<int:id>/" (GET, POST name "notes:detail")`. */
export function describeRoute(route: CompiledRoute): string {
  const methods = route.methods === null ? 'any method' : route.methods.join(', ')
  const name = route.qualifiedName === undefined ? '' : ` name "${route.qualifiedName}"`
  return `"${route.pattern}" (${methods}${name})`
}

function overlap(a: readonly string[] | null, b: readonly string[] | null): string[] | null {
  if (a === null || b === null) return (a ?? b ?? ['any method']).slice()
  const both = a.filter((m) => b.includes(m))
  return both.length === 0 ? null : both
}

function toEndpoint(parsed: ParsedPattern, routes: readonly CompiledRoute[]): EndpointImpl {
  const names = parsed.params.map((p) => p.name)
  const byMethod = Object.create(null) as Record<string, CompiledRoute>
  let any: CompiledRoute | undefined
  const methods = new Set<string>()
  for (const route of routes) {
    if (route.methods === null) any = route
    else {
      for (const m of route.methods) {
        byMethod[m] = route
        methods.add(m)
      }
    }
  }
  // HEAD is answered by the GET view (without a body) unless a route declares HEAD itself.
  if (byMethod['GET'] !== undefined) {
    byMethod['HEAD'] ??= byMethod['GET']
    methods.add('HEAD')
  }
  methods.add('OPTIONS')
  return {
    pattern: (routes[0] as CompiledRoute).pattern,
    byMethod,
    any,
    get: byMethod['GET'] ?? any,
    allow: any === undefined ? [...methods].sort() : STANDARD_METHODS,
    names,
    params: paramsFactory(names),
  }
}

function duplicate(first: CompiledRoute, route: CompiledRoute, what: string): ImproperlyConfigured {
  const message = `Routes ${describeRoute(first)} and ${describeRoute(route)} ${what}`
  return new ImproperlyConfigured('ERR_DUPLICATE_ROUTE', message)
}

/**
 * Groups routes into endpoints (declaration order) and registers their names for `reverse()`.
 * @throws ImproperlyConfigured `ERR_DUPLICATE_ROUTE`, `ERR_DUPLICATE_NAME`.
 */
export function buildEndpoints(flat: Flattened, reverse: ReverseTable): Build[] {
  const groups = new Map<string, { parsed: ParsedPattern; routes: CompiledRoute[] }>()
  const names = new Map<string, CompiledRoute[]>()
  flat.routes.forEach((route, r) => {
    const parsed = flat.parsed[r] as ParsedPattern
    let group = groups.get(parsed.key)
    if (group === undefined) {
      groups.set(parsed.key, (group = { parsed, routes: [] }))
    } else {
      for (const other of group.routes) {
        const both = overlap(other.methods, route.methods)
        if (both === null) continue
        const list = both.join(', ')
        const what = `match the same paths for ${list}. Remove one, or give them disjoint methods.`
        throw duplicate(other, route, what)
      }
      if (group.parsed.params.some((p, i) => p.name !== parsed.params[i]?.name)) {
        const what =
          'share a pattern but name its parameters differently. Use the same names: they form one endpoint.'
        throw duplicate(group.routes[0] as CompiledRoute, route, what)
      }
    }
    group.routes.push(route)
    const name = route.qualifiedName
    if (name === undefined) return
    const named = names.get(name)
    if (named !== undefined && named !== group.routes) {
      const first = describeRoute(named[0] as CompiledRoute)
      const second = describeRoute(route)
      const message = `Routes ${first} and ${second} are both named "${name}". Rename one, or put them in different namespaces.`
      throw new ImproperlyConfigured('ERR_DUPLICATE_NAME', message)
    }
    names.set(name, group.routes)
    reverse.add(name, parsed)
  })
  return [...groups.values()].map(({ parsed, routes }) => ({
    parsed,
    routes,
    steps: [],
    endpoint: toEndpoint(parsed, routes),
  }))
}
