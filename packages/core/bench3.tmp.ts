import { path } from './src/urls/conf'
import { walk } from './src/urls/_trie'
import { Resolver } from './src/urls/resolver'
const routes = ['user/lookup/username/<username>', 'event/<id>/comments', 'api/v1/users/<uid>/posts/<pid>', 'api/v1/orgs/<org>/repos/<repo>/issues/<n>', 'user/', 'event/<id>']
const v = () => null
const resolver = new Resolver(routes.map((r) => path(r, v)))
const root = (resolver as any)
const target = { params: {} as any }
function bench(p: string, fn: (p: string) => unknown) {
  const N = 2_000_000
  for (let i = 0; i < 100000; i++) fn(p)
  const t = performance.now()
  for (let i = 0; i < N; i++) fn(p)
  return ((performance.now() - t) * 1e6 / N).toFixed(1)
}
const names = ['org', 'repo', 'n']
const vals = ['acme', 'core', '99']
console.log('obj build', bench('x', () => { const o: any = {}; for (let k = 0; k < 3; k++) o[names[k]!] = vals[k]; return o }))
console.log('slice x3', bench('/api/v1/orgs/acme/repos/core/issues/99', (p) => { return [p.slice(13, 17), p.slice(24, 28), p.slice(36, 38)] }))
console.log('indexOf x8', bench('/api/v1/orgs/acme/repos/core/issues/99', (p) => { let i = 1, c = 0; while ((i = p.indexOf('/', i) + 1) > 0) c++; return c }))
for (const p of ['/api/v1/orgs/acme/repos/core/issues/99', '/event/abcd1234/comments']) console.log(p, bench(p, (x) => resolver.match(x, target)))
