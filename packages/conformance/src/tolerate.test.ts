import { describe, it, expect, vi } from 'vitest'
import { scenarios } from '@cycle/testing/scenarios'
import type { Scenario } from '@cycle/testing/scenarios'
import { isConnectionReset, scenariosTolerating, tolerateReset } from './tolerate'

// What undici throws when the server resets the socket while the body is still being sent.
const resetError = (code: string): Error => {
  const socketError = Object.assign(new Error(`write ${code}`), { code })
  return new TypeError('fetch failed', { cause: socketError })
}

const failingWith = (error: unknown): Scenario => ({
  id: 'x.y',
  title: 'does a thing',
  run: () => Promise.reject(error),
})

describe('isConnectionReset', () => {
  it.each(['EPIPE', 'ECONNRESET', 'UND_ERR_SOCKET'])(
    'is true for fetch failing with %s',
    (code) => {
      expect(isConnectionReset(resetError(code))).toBe(true)
    }
  )

  it('is false for wrong answers, refused connections and non-errors', () => {
    expect(isConnectionReset(new Error('expected status 413, got 200'))).toBe(false)
    expect(isConnectionReset(resetError('ECONNREFUSED'))).toBe(false)
    expect(isConnectionReset({ code: 'EPIPE' })).toBe(false)
    expect(isConnectionReset(undefined)).toBe(false)
  })
})

describe('tolerateReset', () => {
  it('keeps the id, names the reason in the title, passes a passing scenario', async () => {
    const run = vi.fn(() => Promise.resolve())
    const relaxed = tolerateReset({ id: 'a.b', title: 'works', run }, 'because')
    expect(relaxed.id).toBe('a.b')
    expect(relaxed.title).toBe('works (tolerates a connection reset: because)')
    await relaxed.run('http://127.0.0.1:1')
    expect(run).toHaveBeenCalledWith('http://127.0.0.1:1')
  })

  it('turns a connection reset into a pass, with a warning', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      await expect(tolerateReset(failingWith(resetError('EPIPE')), 'r').run('u')).resolves.toBe(
        undefined
      )
      expect(warn).toHaveBeenCalledWith('x.y: connection reset instead of a response (r)')
    } finally {
      warn.mockRestore()
    }
  })

  it('still fails on any other error', async () => {
    const wrong = new Error('expected status 413, got 500')
    await expect(tolerateReset(failingWith(wrong), 'r').run('u')).rejects.toBe(wrong)
  })
})

describe('scenariosTolerating', () => {
  it('returns every scenario in order and relaxes only the named ones', () => {
    const first = scenarios[0]
    expect(first).toBeDefined()
    const list = scenariosTolerating({ [first?.id ?? '']: 'why' })
    expect(list.map((s) => s.id)).toEqual(scenarios.map((s) => s.id))
    expect(list[0]?.title).toMatch(/\(tolerates a connection reset: why\)$/)
    expect(list.slice(1)).toEqual(scenarios.slice(1))
  })

  it('rejects an unknown scenario id', () => {
    expect(() => scenariosTolerating({ 'no.such-scenario': 'x' })).toThrow(
      'Unknown scenario ids: no.such-scenario'
    )
  })
})
