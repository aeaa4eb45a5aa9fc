import { describe, it, expect } from 'vitest'
import { startServer } from './server-process'

const node = process.execPath

// A tiny Node 20 server that prints `banner` lines first, then its port as the launcher expects.
const listening = (banner: string): string =>
  `console.log(${JSON.stringify(banner)});` +
  `const s = require('node:http').createServer((q, r) => r.end('up'));` +
  `s.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: s.address().port })))`

describe('startServer', () => {
  it('finds the port line among other output and stops the child on close', async () => {
    const server = await startServer({
      label: 'noisy',
      command: node,
      args: ['-e', listening('{ "not": "a port" }\nListening soon')],
      ready: { kind: 'port-line' },
    })
    const response = await fetch(`${server.baseUrl}/`)
    expect(await response.text()).toBe('up')
    await server.close()
    expect(() => process.kill(server.pid, 0)).toThrow()
    await expect(fetch(`${server.baseUrl}/`)).rejects.toThrow()
  })

  it('reads a second port for the /trust/<form>/ routes when the line announces one', async () => {
    const script =
      `const h = require('node:http'); const a = h.createServer((q, r) => r.end('a'));` +
      `const b = h.createServer((q, r) => r.end('b'));` +
      `a.listen(0, '127.0.0.1', () => b.listen(0, '127.0.0.1', () => console.log(` +
      `JSON.stringify({ port: a.address().port, trustPort: b.address().port }))))`
    const server = await startServer({
      label: 'two ports',
      command: node,
      args: ['-e', script],
      ready: { kind: 'port-line' },
    })
    try {
      expect(await (await fetch(server.baseUrl)).text()).toBe('a')
      expect(server.trustUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(await (await fetch(server.trustUrl as string)).text()).toBe('b')
    } finally {
      await server.close()
    }
  })

  it('polls an announced port until HTTP answers', async () => {
    const probe = await startServer({
      label: 'probe',
      command: node,
      args: ['-e', listening('')],
      ready: { kind: 'port-line' },
    })
    const port = Number(new URL(probe.baseUrl).port)
    await probe.close()
    // The port is free again; a child that binds it after a delay is found by polling.
    const script =
      `setTimeout(() => require('node:http').createServer((q, r) => r.end('late'))` +
      `.listen(${port}, '127.0.0.1'), 200)`
    const server = await startServer({
      label: 'late',
      command: node,
      args: ['-e', script],
      ready: { kind: 'http', port },
    })
    try {
      expect(server.baseUrl).toBe(`http://127.0.0.1:${port}`)
      expect(await (await fetch(server.baseUrl)).text()).toBe('late')
    } finally {
      await server.close()
    }
  })

  it('rejects with label, exit code and stderr when the child exits before ready', async () => {
    const start = startServer({
      label: 'crashing runtime',
      command: node,
      args: ['-e', `console.error('boom: no config'); process.exit(3)`],
      ready: { kind: 'port-line' },
    })
    await expect(start).rejects.toThrow(/^crashing runtime: exited \(code 3\) before it was ready/)
    await expect(start).rejects.toThrow(/boom: no config/)
  })

  it('rejects after timeoutMs, with stderr, and kills a child that never listens', async () => {
    const start = startServer({
      label: 'hanging runtime',
      command: node,
      args: [
        '-e',
        `console.error('waiting forever, pid=' + process.pid); setInterval(() => {}, 1000)`,
      ],
      ready: { kind: 'port-line' },
      timeoutMs: 1_000,
    })
    const error: unknown = await start.catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(Error)
    const message = (error as Error).message
    expect(message).toMatch(/^hanging runtime: not ready within 1000 ms[\s\S]*waiting forever/)
    const pid = Number(/pid=(\d+)/.exec(message)?.[1])
    expect(pid).toBeGreaterThan(0)
    // startServer awaited the child's exit before rejecting, so signal 0 finds no such process.
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/)
  })

  it('rejects when the command cannot be spawned', async () => {
    await expect(
      startServer({
        label: 'missing',
        command: '/nonexistent/runtime',
        args: [],
        ready: { kind: 'port-line' },
      })
    ).rejects.toThrow(/^missing: cannot spawn \(spawn \/nonexistent\/runtime ENOENT\)/)
  })
})
