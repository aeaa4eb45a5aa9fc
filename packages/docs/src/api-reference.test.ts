/**
 * The API reference (`pnpm run docs`, TypeDoc) is the written-down public surface: it must cover
 * exactly the entry points each package exports, and build without a warning (every export
 * documented, every type a public one references public too, every link valid).
 */
import { readFileSync, readdirSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../../..')
const config = JSON.parse(readFileSync(join(ROOT, 'typedoc.json'), 'utf8')) as {
  entryPoints: string[]
  packageOptions: { entryPoints: string[] }
}

interface Manifest {
  name: string
  private?: boolean
  exports?: Record<string, string | Record<string, string>>
}

/** Every public package and the source file of each entry its `exports` map declares. */
function publicEntries(): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const dir of readdirSync(join(ROOT, 'packages'))) {
    const file = join(ROOT, 'packages', dir, 'package.json')
    if (!existsSync(file)) continue
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as Manifest
    if (pkg.private === true) continue
    const entries = Object.entries(pkg.exports ?? {})
      .filter(([key]) => key !== './package.json')
      .map(([, target]) => (typeof target === 'string' ? target : target['@cycle/source']))
      .map((src) => String(src).replace(/^\.\//, ''))
    out.set(`packages/${dir}`, entries.sort())
  }
  return out
}

/** The entry points TypeDoc documents for a package (its own typedoc.json, else the default). */
function documentedEntries(dir: string): string[] {
  const own = join(ROOT, dir, 'typedoc.json')
  const list = existsSync(own)
    ? (JSON.parse(readFileSync(own, 'utf8')) as { entryPoints: string[] }).entryPoints
    : config.packageOptions.entryPoints
  return [...list].sort()
}

/** Runs TypeDoc from the repository root; resolves with its exit status and output. */
function typedoc(
  args: string[]
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'node_modules/.bin/typedoc'), args, {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c))
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c))
    child.on('error', reject)
    child.on('close', (status) => resolve({ status, stdout, stderr }))
  })
}

describe('the API reference', () => {
  const out = mkdtempSync(join(tmpdir(), 'cycle-api-'))
  afterAll(() => rmSync(out, { recursive: true, force: true }))

  it('documents every public package, and exactly the entry points each exports', () => {
    const entries = publicEntries()
    expect([...config.entryPoints].sort()).toEqual([...entries.keys()].sort())
    for (const [dir, exported] of entries) {
      expect(documentedEntries(dir), dir).toEqual(exported)
    }
  })

  it('builds without a warning: every export documented, nothing public left out', async () => {
    // `pnpm run docs`, with the output in a temporary folder and every warning an error. Run
    // asynchronously: a minute of `spawnSync` blocks the worker's event loop past vitest's RPC
    // timeout on a loaded machine ("Timeout calling onTaskUpdate", an unhandled error).
    const run = await typedoc(['--out', out, '--treatWarningsAsErrors', '--logLevel', 'Warn'])
    const warnings = `${run.stdout}${run.stderr}`
      .split('\n')
      .filter((line) => /warning|error/i.test(line))
    expect(warnings).toEqual([])
    expect(run.status).toBe(0)
    expect(existsSync(join(out, '@cycle/core/index/README.md'))).toBe(true)
    expect(existsSync(join(out, '@cycle/core/gateway/README.md'))).toBe(true)
  })
})
