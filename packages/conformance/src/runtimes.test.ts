import { execFileSync } from 'node:child_process'
import { describe, it, expect } from 'vitest'
import { runtimeBinary, workerdCompatibilityDate } from './runtimes'

describe('runtimeBinary', () => {
  // Each binary comes from its platform package, with no postinstall having run.
  it.each([
    ['bun', ['--version'], /^1\.\d+\.\d+/],
    ['deno', ['--version'], /^deno 2\./],
    ['workerd', ['--version'], /^workerd \d{4}-\d{2}-\d{2}/],
    ['node24', ['--version'], /^v24\./],
  ] as const)('%s resolves to a binary that runs here', (runtime, args, version) => {
    const out = execFileSync(runtimeBinary(runtime), args, { encoding: 'utf8', timeout: 10_000 })
    expect(out.trim()).toMatch(version)
  })
})

describe('workerdCompatibilityDate', () => {
  it('is a YYYY-MM-DD date no later than the workerd build it came with', () => {
    const date = workerdCompatibilityDate()
    expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    const out = execFileSync(runtimeBinary('workerd'), ['--version'], { encoding: 'utf8' })
    expect(date <= out.trim().replace(/^workerd /, '')).toBe(true)
  })
})
