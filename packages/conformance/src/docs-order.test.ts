/**
 * docs/middleware-order.md's example is the stack users copy: it is run here as written (imports
 * included), and the order `app.describe()` prints is the one the page's table explains.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, expect, it, vi } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../../..')
const page = readFileSync(join(ROOT, 'docs/middleware-order.md'), 'utf8')
const blocks = [...page.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string)
// Inside this package, so that the @cycle/* imports resolve as they do for its own sources.
const dir = mkdtempSync(join(import.meta.dirname, '.docs-order-'))

afterAll(() => rmSync(dir, { recursive: true, force: true }))

it('runs the recommended stack and lists the middlewares in the order the table gives', async () => {
  expect(blocks).toHaveLength(1)
  const file = join(dir, 'example.ts')
  writeFileSync(file, blocks[0] as string)
  const lines: unknown[] = []
  const log = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(line))
  try {
    await import(file)
  } finally {
    log.mockRestore()
  }
  expect(lines).toHaveLength(1)
  const printed = String(lines[0])
  const phase = (name: string) =>
    (printed.split('\n').find((l) => l.trimStart().startsWith(`${name} `)) ?? '')
      .trim()
      .replace(/^\S+\s+/, '')
      .split(' → ')
  const order = [
    'observe',
    'securityHeaders',
    'cors',
    'compress',
    'conditional',
    'format',
    'csrf',
    'authenticate',
    'timeout',
  ]
  // Request hooks in the table's order, response hooks in reverse: each line holds the
  // middlewares that have that hook, so it must be the table's order restricted to them.
  const request = phase('request')
  expect(request).toEqual(order.filter((n) => request.includes(n)))
  expect(request).toEqual(['observe', 'cors', 'csrf', 'authenticate'])
  // timeout() is an onion: it surrounds the cycle inside the hooks before it.
  expect(phase('around')).toEqual(['timeout'])
  const response = phase('response')
  expect(response).toEqual([...order].reverse().filter((n) => response.includes(n)))
  expect(response).toEqual(expect.arrayContaining(['observe', 'cors', 'compress', 'conditional']))
})
