import { path } from './src/urls/conf'
import { Resolver } from './src/urls/resolver'
import FindMyWay from '/tmp/rbench/node_modules/find-my-way/index.js'
import { RegExpRouter } from '/tmp/rbench/node_modules/hono/dist/router/reg-exp-router/index.js'
const routes: [string, string][] = [
  ['GET', '/user'], ['GET', '/user/comments'], ['GET', '/user/avatar'],
  ['GET', '/user/lookup/username/:username'], ['GET', '/user/lookup/email/:address'],
  ['GET', '/event/:id'], ['GET', '/event/:id/comments'], ['POST', '/event/:id/comment'],
  ['GET', '/map/:location/events'], ['GET', '/status'], ['GET', '/very/deeply/nested/route/hello/there'],
  ['GET', '/static/*'],
  ['GET', '/api/v1/users/:uid/posts/:pid'], ['GET', '/api/v1/users/:uid'], ['GET', '/api/v1/users'],
  ['GET', '/api/v1/orgs/:org/repos/:repo/issues/:n'], ['GET', '/api/v1/orgs/:org/repos'],
]
const toDjango = (p: string) => p.slice(1).replace(/:(\w+)/g, '<$1>').replace(/\*$/, '<path:rest>')
const v = () => null
const conf: any[] = []
for (const [m, p] of routes) conf.push(path(toDjango(p) as string, v, { methods: [m] }))
const resolver = new Resolver(conf)
const fmw = FindMyWay()
for (const [m, p] of routes) fmw.on(m as any, p, () => {})
const hono = new RegExpRouter<number>()
routes.forEach(([m, p], i) => hono.add(m, p, i))
const target = { params: {} as any }
const paths = ['/user', '/user/comments', '/user/lookup/username/hello', '/event/abcd1234/comments',
  '/very/deeply/nested/route/hello/there', '/static/index.html', '/api/v1/users/12/posts/34', '/api/v1/orgs/acme/repos/core/issues/99', '/nope/x']
function bench(name: string, p: string, fn: (p: string) => unknown) {
  const N = 2_000_000
  for (let i = 0; i < 100000; i++) fn(p)
  const t = performance.now()
  for (let i = 0; i < N; i++) fn(p)
  return ((performance.now() - t) * 1e6 / N).toFixed(1)
}
for (const p of paths) {
  console.log(p.padEnd(42), 'cycle', bench('c', p, (x) => resolver.match(x, target)), 'fmw', bench('f', p, (x) => fmw.find('GET', x)), 'hono', bench('h', p, (x) => hono.match('GET', x)))
}
