import { describe, expect, it } from 'vitest'
import { DEFAULT_ITERATIONS, hashPassword, verifyPassword } from './passwords'

describe('passwords', () => {
  it('hashes with a fresh salt and verifies', async () => {
    const a = await hashPassword('cycle-demo', 1000)
    const b = await hashPassword('cycle-demo', 1000)
    expect(a).toMatch(/^pbkdf2-sha256\$1000\$[\w-]{22}\$[\w-]{43}$/)
    expect(a).not.toBe(b)
    expect(await verifyPassword('cycle-demo', a)).toBe(true)
    expect(await verifyPassword('cycle-demo!', a)).toBe(false)
    expect(await verifyPassword('', a)).toBe(false)
  })

  it('uses the workerd-compatible default cost', async () => {
    expect(DEFAULT_ITERATIONS).toBe(100_000)
    expect(await hashPassword('x')).toMatch(/^pbkdf2-sha256\$100000\$/)
  })

  it('never matches (nor throws on) a malformed stored hash', async () => {
    for (const stored of [
      '',
      'plain',
      'md5$1$a$b',
      'pbkdf2-sha256$0$a$b',
      'pbkdf2-sha256$99999999$a$b',
      'pbkdf2-sha256$10$%%%$b',
      'pbkdf2-sha256$10$a$b$c',
    ]) {
      expect(await verifyPassword('x', stored)).toBe(false)
    }
  })

  it('refuses a bad iteration count', async () => {
    await expect(hashPassword('x', 0)).rejects.toThrow(RangeError)
    await expect(hashPassword('x', 1.5)).rejects.toThrow(RangeError)
  })
})
