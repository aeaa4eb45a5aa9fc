/**
 * @module
 * Measures how type-checking cost grows with the size of an app's URL conf.
 *
 * For each size (routes), it generates a realistic app in a temporary directory: resources of ten
 * routes (`int`, `str`, `slug`, `uuid` and `path` converters, nine of them named), half of them
 * under a parameterized prefix, grouped in namespaced `include()`s three levels deep, a middleware
 * list whose state the views read, views reading their params, and one `app.reverse()` call per
 * route name. It then runs `tsc --noEmit --extendedDiagnostics` on it and prints instantiations,
 * types, check time and memory, next to an empty app (the fixed cost of core itself) and the
 * ratio of each size's cost over the first size's, with and without that fixed cost.
 *
 * ```sh
 * pnpm --filter @cycle/core type-cost             # 200, 400 and 1,000 routes
 * pnpm --filter @cycle/core type-cost 100 200 800 # other sizes
 * pnpm --filter @cycle/core type-cost --runs=1    # one tsc run per size (default 3: the best
 *                                                 # check time and memory of three are shown)
 * ```
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const coreEntry = resolve(here, '../src/index.ts')
const typescript = createRequire(import.meta.url).resolve('typescript/package.json')
const tsc = join(dirname(typescript), 'bin/tsc')

/** Routes per resource, and resources per namespaced version. */
const PER_RESOURCE = 10
const PER_VERSION = 5

interface Route {
  pattern: string
  name: string | undefined
  params: Record<string, string>
  view: string
}

function route(
  pattern: string,
  name: string | undefined,
  params: Record<string, string>,
  view: string
): Route {
  return { pattern, name, params, view }
}

/** The ten routes of one resource. Views: some read their params, some the typed state. */
const RESOURCE: readonly Route[] = [
  route('', 'list', {}, '(req) => json({ rid: req.state.requestId })'),
  route('new/', 'new', {}, 'v'),
  route('<int:id>/', 'detail', { id: 'int' }, '(req) => json({ next: req.params.id + 1 })'),
  route('<int:id>/edit/', 'edit', { id: 'int' }, 'v'),
  route('<slug:slug>/', 'by-slug', { slug: 'slug' }, '(req) => json(req.params.slug.at(0))'),
  route('<uuid:key>/', 'by-key', { key: 'uuid' }, 'v'),
  route('<int:id>/items/<str:item>/', 'item', { id: 'int', item: 'str' }, 'v'),
  route('<int:id>/files/<path:rest>', 'file', { id: 'int', rest: 'path' }, 'v'),
  route('archive/<int:year>/<int:month>/', 'archive', { year: 'int', month: 'int' }, 'v'),
  route('export.json', undefined, {}, 'v'),
]

const SAMPLE: Record<string, string> = {
  int: '1',
  str: "'x'",
  slug: "'a-b'",
  uuid: "'3f2504e0-4f89-11d3-9a0c-0305e82c3301'",
  path: "'a/b.txt'",
}

/** The source of an app with `routes` routes (a multiple of 10; 0 for the empty app). */
export function generateApp(routes: number): string {
  const resources = Math.ceil(routes / PER_RESOURCE)
  const versions = Math.ceil(resources / PER_VERSION)
  const out: string[] = [
    'import {',
    '  createApp, defineMiddleware, defineUrls, include, json, type StateOf,',
    "} from '@cycle/core'",
    '',
    'const requestId = defineMiddleware<{ requestId: string }>({',
    "  name: 'requestId',",
    "  request(req) { req.state.requestId = 'r' },",
    '})',
    'const auth = defineMiddleware<{ user: { id: number } }>({',
    "  name: 'auth',",
    '  request(req) { req.state.user = { id: 1 } },',
    '})',
    'const middleware = [requestId, auth] as const',
    'const { path } = defineUrls<StateOf<typeof middleware>>()',
    'const v = (): null => null',
    '',
  ]
  const calls: string[] = []
  for (let j = 0; j < versions; j++) {
    const resLines: string[] = []
    for (let k = j * PER_VERSION; k < Math.min(resources, (j + 1) * PER_VERSION); k++) {
      const orgPrefix = k % 2 === 1
      const prefix = orgPrefix ? `orgs/<slug:org>/res${k}/` : `res${k}/`
      const entries = RESOURCE.map((r) => {
        const opts = r.name === undefined ? '' : `, { name: '${r.name}' }`
        return `      path('${r.pattern}', ${r.view}${opts}),`
      })
      const body = entries.join('\n')
      resLines.push(`    include('${prefix}', [\n${body}\n    ], { namespace: 'res${k}' }),`)
      for (const r of RESOURCE) {
        if (r.name === undefined) continue
        const params = { ...(orgPrefix ? { org: 'slug' } : {}), ...r.params }
        const args = Object.entries(params).map(([n, c]) => `${n}: ${SAMPLE[c]}`)
        const arg = args.length ? `, { ${args.join(', ')} }` : ''
        calls.push(`  app.reverse('api:v${j}:res${k}:${r.name}'${arg}),`)
      }
    }
    const body = resLines.join('\n')
    out.push(`const v${j} = include('v${j}/', [\n${body}\n], { namespace: 'v${j}' })`)
  }
  const versionList = Array.from({ length: versions }, (_, j) => `v${j}`).join(', ')
  out.push(
    '',
    'export const app = createApp({',
    '  middleware,',
    "  urls: [",
    "    path('', v, { name: 'home' }),",
    `    include('api/', [${versionList}], { namespace: 'api' }),`,
    '  ],',
    '})',
    '',
    "export const links: string[] = [\n  app.reverse('home'),",
    ...calls,
    ']',
    ''
  )
  return out.join('\n')
}

/** One size's figures, as `tsc --extendedDiagnostics` prints them. */
export interface Cost {
  routes: number
  instantiations: number
  types: number
  checkTime: number
  memoryK: number
}

/** Runs tsc `runs` times; instantiations and types are deterministic, time and memory are not. */
function measureBest(dir: string, routes: number, runs: number): Cost {
  let best = measure(dir, routes)
  for (let i = 1; i < runs; i++) {
    const c = measure(dir, routes)
    best = {
      ...best,
      checkTime: Math.min(best.checkTime, c.checkTime),
      memoryK: Math.min(best.memoryK, c.memoryK),
    }
  }
  return best
}

function measure(dir: string, routes: number): Cost {
  const app = join(dir, `n${routes}`)
  mkdirSync(app, { recursive: true })
  writeFileSync(join(app, 'app.ts'), generateApp(routes))
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023', 'DOM', 'DOM.Iterable', 'DOM.AsyncIterable'],
      module: 'Preserve',
      moduleResolution: 'Bundler',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
      paths: { '@cycle/core': [coreEntry] },
    },
    files: ['app.ts'],
  }
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2))
  let output: string
  try {
    output = execFileSync(process.execPath, [tsc, '-p', app, '--extendedDiagnostics'], {
      encoding: 'utf8',
    })
  } catch (error) {
    const out = (error as { stdout?: string }).stdout ?? ''
    throw new Error(`tsc failed on the ${routes}-route app (${app}):\n${out.slice(0, 4000)}`)
  }
  const read = (label: string): number => {
    const m = new RegExp(`^${label}:\\s+([0-9.]+)`, 'm').exec(output)
    if (!m?.[1]) throw new Error(`No "${label}" in tsc's output:\n${output}`)
    return Number(m[1])
  }
  return {
    routes,
    instantiations: read('Instantiations'),
    types: read('Types'),
    checkTime: read('Check time'),
    memoryK: read('Memory used'),
  }
}

function main(): void {
  const args = process.argv.slice(2)
  const runsArg = args.find((a) => a.startsWith('--runs='))
  const runs = runsArg === undefined ? 3 : Number(runsArg.slice('--runs='.length))
  const sizes = args.filter((a) => !a.startsWith('--')).map(Number)
  const list = sizes.length ? sizes : [200, 400, 1000]
  const dir = mkdtempSync(join(tmpdir(), 'cycle-type-cost-'))
  try {
    const base = measureBest(dir, 0, runs)
    const costs = list.map((n) => measureBest(dir, n, runs))
    const first = costs[0] as Cost
    const net = (c: Cost): number => c.instantiations - base.instantiations
    const rows = [
      '| routes | instantiations | × first | × first, net of the empty app | types | check time' +
        ' | memory |',
      '|---:|---:|---:|---:|---:|---:|---:|',
      ...[base, ...costs].map((c) =>
        [
          c.routes,
          c.instantiations.toLocaleString('en-US'),
          c === base ? '' : (c.instantiations / first.instantiations).toFixed(2),
          c === base ? '' : (net(c) / net(first)).toFixed(2),
          c.types.toLocaleString('en-US'),
          `${c.checkTime.toFixed(2)} s`,
          `${Math.round(c.memoryK / 1024)} MB`,
        ].join(' | ')
      ).map((line) => `| ${line} |`),
    ]
    console.log(rows.join('\n'))
  } finally {
    if (!process.env['KEEP']) rmSync(dir, { recursive: true, force: true })
    else console.log(`\nkept ${dir}`)
  }
}

main()
