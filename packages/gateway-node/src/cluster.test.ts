import { spawn } from 'node:child_process'
import http from 'node:http'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { text } from '@cycle/core'
import { serveCluster } from './cluster'

const fixture = fileURLToPath(new URL('./__fixtures__/cluster-app.ts', import.meta.url))

function getPid(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // A fresh connection per request, so the primary hands each one to the next worker.
    http
      .get(`${url}/`, { agent: false }, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (body += c))
        res.on('end', () => resolve(body))
      })
      .on('error', reject)
  })
}

describe('serveCluster', () => {
  it('starts two workers on one port, both answer, and SIGTERM shuts them down', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@cycle/source', fixture],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      }
    )
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code))
    )
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = ''
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString()
          const nl = out.indexOf('\n')
          if (nl !== -1) resolve(out.slice(0, nl))
        })
        child.on('exit', () => reject(new Error(`cluster exited early: ${stderr}`)))
      })
      const { url, workers } = JSON.parse(line) as { url: string; workers: number[] }
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(workers).toHaveLength(2)
      const pids = new Set<string>()
      for (let i = 0; i < 8; i++) pids.add(await getPid(url))
      expect([...pids].sort()).toEqual(workers.map(String).sort())
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
    } finally {
      child.kill('SIGKILL')
    }
  }, 30_000)

  it('validates its arguments', async () => {
    await expect(serveCluster('app.js' as never)).rejects.toThrow(TypeError)
    await expect(serveCluster(() => ({ handle: () => text('x') }), { workers: 0 })).rejects.toThrow(
      /workers/
    )
  })
})
