import { describe, expect, it } from 'vitest'
import { setCodeGeneration } from './_codegen'
import { paramsFactory } from './_params'

describe('paramsFactory', () => {
  const names = ['org', 'repo', 'class', 'constructor']
  const values = ['acme', 'core', 3, 'x', 'stale value from a failed branch']

  it('builds a plain object with the names in pattern order', () => {
    const params = paramsFactory(names)(values)
    expect(params).toEqual({ org: 'acme', repo: 'core', class: 3, constructor: 'x' })
    expect(Object.keys(params)).toEqual(names)
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype)
  })

  it('gives the same result without code generation (Workers)', () => {
    const generated = paramsFactory(names)(values)
    setCodeGeneration(false)
    const looped = paramsFactory(names)(values)
    setCodeGeneration(true)
    expect(looped).toEqual(generated)
    expect(Object.keys(looped)).toEqual(Object.keys(generated))
  })

  it('returns a fresh object on every call', () => {
    const build = paramsFactory(['id'])
    const a = build([1])
    const b = build([2])
    expect(a).not.toBe(b)
    expect([a, b]).toEqual([{ id: 1 }, { id: 2 }])
    expect(paramsFactory([])([])).toEqual({})
  })
})
