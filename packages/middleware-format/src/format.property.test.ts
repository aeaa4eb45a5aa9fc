// Property: whatever a view returns, `format()` either serializes it (200, a body that parses in
// the negotiated representation) or answers a clean 500 problem (nothing internal in it, the
// failure reported once to the app's listeners). Arbitrary data includes BigInt, Date (invalid
// ones too), Map, Set, typed arrays, boxed values, null-prototype objects, sparse arrays, lone
// surrogates, cycles, throwing getters and toJSON, and nesting past MAX_DEPTH. Seeded, bounded.
import { createApp, path } from '@cycle/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { format } from './format'
import { MAX_DEPTH } from './serialize'

const RUNS = { seed: Number(process.env['CYCLE_FC_SEED'] ?? 0x12c), numRuns: 300 }

let current: unknown
const reported: unknown[] = []
const app = createApp({
  middleware: [format({ representations: ['json', 'html', 'text'] })],
  urls: [path('v/', () => current)],
})
app.on('requestException', (_request, error) => void reported.push(error))

/** Anything fast-check makes, with every JavaScript type the serializer has a rule for. */
const anything = fc.anything({
  maxDepth: 4,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  stringUnit: 'binary',
})
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c))
/** Values that cannot be serialized: each must give a clean 500. */
const broken = fc.oneof(
  anything.map((inner) => {
    const cycle: Record<string, unknown> = { inner }
    cycle['self'] = { back: cycle }
    return cycle
  }),
  anything.map((inner) => {
    const list: unknown[] = [inner]
    list.push(new Map([['loop', list]]))
    return list
  }),
  anything.map((inner) => ({
    inner,
    get boom(): never {
      throw new Error('secret-getter-detail')
    },
  })),
  fc.constant({
    toJSON: (): never => {
      throw new Error('secret-tojson-detail')
    },
  }),
  fc.constant(deep(MAX_DEPTH + 5))
)
// `x/y;q=0` accepts nothing: without `strict`, format() answers in its first representation.
const accept = fc.constantFrom('application/json', 'text/html', 'text/plain', '*/*', 'x/y;q=0')

function deep(levels: number): unknown {
  let value: unknown = 'bottom'
  for (let i = 0; i < levels; i++) value = [value]
  return value
}

async function answer(value: unknown, acceptHeader: string): Promise<Response> {
  current = value
  return app.fetch(new Request('http://localhost/v/', { headers: { accept: acceptHeader } }))
}

/** A clean 500: problem document or page, with no detail, stack or error text in it. */
async function expectClean500(res: Response): Promise<void> {
  expect(res.status).toBe(500)
  const body = await res.text()
  expect(body).not.toMatch(/secret-|SerializationError|circular|at .*\.ts/)
  const type = res.headers.get('content-type') ?? ''
  if (type.startsWith('application/problem+json')) {
    const doc = JSON.parse(body) as Record<string, unknown>
    expect(doc).toMatchObject({ status: 500, title: 'Internal Server Error' })
    expect(doc['detail']).toBeUndefined()
  } else expect(type).toMatch(/^text\/(html|plain)/)
}

describe('format() serializes any value or answers a clean 500', () => {
  it('arbitrary values: 200 with a parsable body, or (a view returning nothing) a clean 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(anything, loneSurrogate), accept, async (value, acc) => {
        reported.length = 0
        const res = await answer(value, acc)
        // `undefined` is "the view returned nothing": a bug of the view, a 500 by design.
        if (value === undefined) return expectClean500(res)
        expect(res.status).toBe(200)
        expect(reported).toEqual([])
        const body = await res.text()
        const type = res.headers.get('content-type') ?? ''
        if (type.startsWith('application/json')) {
          expect(JSON.parse(body)).toHaveProperty('data')
        } else expect(type).toMatch(/^text\/(html|plain)/)
      }),
      RUNS
    )
  })

  it('where JSON.stringify gives a document, format() sends the same data', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const res = await answer(value, 'application/json')
        expect(res.status).toBe(200)
        const sent = (JSON.parse(await res.text()) as { data: unknown }).data
        expect(sent).toEqual(JSON.parse(JSON.stringify(value)))
      }),
      RUNS
    )
  })

  it('the HTML representation escapes every string of the data (keys included)', async () => {
    const marker = fc.nat().map((n) => `<script>alert(${n})</script>"'&`)
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        marker,
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(marker, tie('node'), { maxKeys: 3 })
      ),
    })).node
    await fc.assert(
      fc.asyncProperty(tree, async (value) => {
        const res = await answer(value, 'text/html')
        expect(res.status).toBe(200)
        expect(await res.text()).not.toMatch(/<script>alert\(/)
      }),
      { ...RUNS, numRuns: 100 }
    )
  })

  it('cycles, throwing getters and toJSON, and nesting past MAX_DEPTH: a clean 500, reported once', async () => {
    await fc.assert(
      fc.asyncProperty(broken, accept, async (value, acc) => {
        reported.length = 0
        await expectClean500(await answer(value, acc))
        expect(reported).toHaveLength(1)
      }),
      { ...RUNS, numRuns: 100 }
    )
  })
})
