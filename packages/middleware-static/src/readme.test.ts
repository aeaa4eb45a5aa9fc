/**
 * The README's examples stay true: every name a ```ts block imports from a `@cycle/*` package is
 * an export of that package, and the view example's URL is what `reverse()` builds.
 */
import * as core from '@cycle/core'
import { createApp, path } from '@cycle/core'
import * as gatewayFetch from '@cycle/gateway-fetch'
import * as gatewayNode from '@cycle/gateway-node'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { describe, expect, it } from 'vitest'
import * as self from './index'

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const blocks = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string)
const modules: Record<string, Record<string, unknown>> = {
  '@cycle/core': core,
  '@cycle/gateway-node': gatewayNode,
  '@cycle/gateway-fetch': gatewayFetch,
  '@cycle/middleware-static': self,
}

describe('README', () => {
  it('has examples, with imports', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4)
    for (const block of blocks) expect(block).toMatch(/^\s*import /m)
  })

  it('imports only names the packages export', () => {
    let checked = 0
    for (const block of blocks) {
      for (const m of block.matchAll(/import \{([^}]*)\} from '(@cycle\/[^']+)'/g)) {
        const from = m[2] as string
        const mod = modules[from]
        expect(mod, `README imports from ${from}`).toBeDefined()
        for (const raw of (m[1] as string).split(',')) {
          const name = raw.trim().replace(/^type\s+/, '')
          if (name === '') continue
          expect(Object.keys(mod as object), `${name} from ${from}`).toContain(name)
          checked++
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8)
  })

  it("the view example's reverse() is the URL it says", () => {
    const app = createApp({
      urls: [
        path('media/<path:file>', self.staticView({ root: tmpdir(), param: 'file' }), {
          name: 'media',
        }),
      ],
    })
    expect(README).toContain(
      "app.reverse('media', { file: 'reports/2026.pdf' }) // '/media/reports/2026.pdf'"
    )
    expect(app.reverse('media', { file: 'reports/2026.pdf' })).toBe('/media/reports/2026.pdf')
  })
})
