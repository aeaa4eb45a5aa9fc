/**
 * The type errors users see, checked word for word: `@ts-expect-error` in the type tests proves
 * that a line fails, not why. Each snippet is compiled against core's sources with the
 * TypeScript compiler API.
 */
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const coreIndex = decodeURIComponent(new URL('./index.ts', import.meta.url).pathname)

const options: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.Preserve,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts', 'lib.dom.asynciterable.d.ts'],
  types: [],
  paths: { '@cycle/core': [coreIndex] },
}

/** Compiles snippets together (one program) and gives each one's errors as `TS<code>: text`. */
function errorsOf(snippets: Record<string, string>): Record<string, string[]> {
  const files = new Map(Object.entries(snippets).map(([n, src]) => [`/snippets/${n}.ts`, src]))
  const host = ts.createCompilerHost(options)
  const { getSourceFile, fileExists, readFile } = host
  host.fileExists = (f) => files.has(f) || fileExists.call(host, f)
  host.readFile = (f) => files.get(f) ?? readFile.call(host, f)
  host.getSourceFile = (f, lang, ...rest) => {
    const src = files.get(f)
    return src === undefined
      ? getSourceFile.call(host, f, lang, ...rest)
      : ts.createSourceFile(f, src, lang)
  }
  const program = ts.createProgram([...files.keys()], options, host)
  const out: Record<string, string[]> = {}
  for (const name of files.keys()) {
    const sf = program.getSourceFile(name) as ts.SourceFile
    out[name.slice('/snippets/'.length, -3)] = ts
      .getPreEmitDiagnostics(program, sf)
      .map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)
  }
  return out
}

const routes = `
import { createApp, defineMiddleware, include, path, redirect, text } from '@cycle/core'
const v = () => text('')
`

describe('type errors users see', { timeout: 60_000 }, () => {
  const errors = errorsOf({
    unknownName: `${routes}
      const app = createApp({
        urls: [
          path('a/<int:id>/', v, { name: 'a' }),
          include('n/<slug:s>/', [path('', v, { name: 'b' })], { namespace: 'ns' }),
        ],
      })
      app.reverse('nope')`,
    noParams: `${routes}
      const app = createApp({ urls: [path('', v, { name: 'home' })] })
      app.reverse('home', { id: 1 })`,
    selfReverse: `${routes}
      export const app = createApp({
        urls: [
          path('old/', () => redirect(app.reverse('new'))),
          path('x/<int:id>/', (req) => redirect(app.reverse('item', { id: req.params.id }))),
          path('new/', v, { name: 'new' }),
          path('item/<int:id>/', v, { name: 'item' }),
        ],
      })`,
    needs: `${routes}
      const requestId = defineMiddleware<{ requestId: string }>({ name: 'requestId' })
      const audit = defineMiddleware<object, { requestId: string }>({ name: 'audit' })
      createApp({ middleware: [audit, requestId], urls: [] })`,
    undeclared: `${routes}
      defineMiddleware({ name: 'm', request(req) { req.state.user = 1 } })`,
  })

  it('an unknown route name is reported on the name, with the known names', () => {
    expect(errors['unknownName']).toEqual([
      `TS2345: Argument of type '"nope"' is not assignable to parameter of type '"a" | "ns:b"'.`,
    ])
  })

  it('params given to a route without any are refused', () => {
    expect(errors['noParams']).toEqual([`TS2322: Type 'number' is not assignable to type 'never'.`])
  })

  it("app.reverse() in the app's own views is not circular", () => {
    expect(errors['selfReverse']).toEqual([])
  })

  it('a middleware whose needs are not added before it names the missing key', () => {
    expect(errors['needs']).toHaveLength(1)
    const message =
      'This middleware needs request.state.requestId, which no middleware before it adds.'
    expect(errors['needs']?.[0]).toContain(`is not assignable to type '"${message}"'`)
  })

  it('an undeclared state key is an error inside a middleware', () => {
    expect(errors['undeclared']).toEqual([
      `TS2339: Property 'user' does not exist on type 'MiddlewareState<object, object>'.`,
    ])
  })

  it('global RequestState augmentation is seen by hooks, needs and views', () => {
    const augmented = errorsOf({
      app: `${routes}
        import { defineUrls, type StateOf } from '@cycle/core'
        declare module '@cycle/core' {
          interface RequestState { tenant: string }
        }
        const setTenant = defineMiddleware({ name: 't', request(req) { req.state.tenant = 'a' } })
        const audit = defineMiddleware<{ seen: boolean }, { tenant: string }>({
          name: 'audit',
          request(req) { req.state.seen = req.state.tenant.length > 0 },
        })
        const middleware = [audit, setTenant] as const
        createApp({ middleware, urls: [] })
        const { path: p } = defineUrls<StateOf<typeof middleware>>()
        p('x/', (req) => text(req.state.tenant + String(req.state.seen)))`,
    })
    expect(augmented['app']).toEqual([])
  })
})
