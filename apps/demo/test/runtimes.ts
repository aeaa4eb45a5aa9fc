/**
 * Starts the fetch entry on Bun, Deno and workerd for the cross-runtime smoke test. Each runtime
 * comes from the npm registry (devDependencies); the binary is read from its platform package, so
 * no postinstall script has to run. The entry is bundled first with esbuild: the workspace
 * packages export TypeScript under the `@cycle/source` condition, which the runtimes' module
 * loaders would not pick up from node_modules on their own.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { build } from 'esbuild'

const require = createRequire(import.meta.url)

/** The runtimes the fetch entry is checked on. */
export type Runtime = 'bun' | 'deno' | 'workerd'

const PLATFORM: Record<'bun' | 'deno', Record<string, readonly [string, string]>> = {
  bun: {
    'linux-x64': ['@oven/bun-linux-x64', 'bin/bun'],
    'linux-arm64': ['@oven/bun-linux-aarch64', 'bin/bun'],
    'darwin-arm64': ['@oven/bun-darwin-aarch64', 'bin/bun'],
  },
  deno: {
    'linux-x64': ['@deno/linux-x64-glibc', 'deno'],
    'linux-arm64': ['@deno/linux-arm64-glibc', 'deno'],
    'darwin-arm64': ['@deno/darwin-arm64', 'deno'],
  },
}

function binary(runtime: Runtime): string {
  if (runtime === 'workerd') return (require('workerd') as { default: string }).default
  const entry = PLATFORM[runtime][`${process.platform}-${process.arch}`]
  if (entry === undefined)
    throw new Error(`No ${runtime} package for ${process.platform}-${process.arch}.`)
  const fromWrapper = createRequire(require.resolve(`${runtime}/package.json`))
  const file = join(dirname(fromWrapper.resolve(`${entry[0]}/package.json`)), entry[1])
  if (!existsSync(file)) throw new Error(`${entry[0]} has no ${entry[1]}: run pnpm install.`)
  return file
}

/** Bundles `src/worker.fetch.ts` into `<dir>/worker.mjs` (no `node:*` allowed: platform neutral). */
export async function bundleWorker(dir: string): Promise<string> {
  const outfile = join(dir, 'worker.mjs')
  await build({
    entryPoints: [new URL('../src/worker.fetch.ts', import.meta.url).pathname],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['@cycle/source', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  })
  return outfile
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** A runtime serving the bundle on 127.0.0.1. */
export interface RuntimeServer {
  url: string
  stop(): Promise<void>
}

/**
 * Starts `runtime` on the bundled worker with `env` (as Worker bindings on workerd) and waits until
 * `/healthz` answers, for at most `timeoutMs`.
 */
export async function startRuntime(
  runtime: Runtime,
  dir: string,
  env: Record<string, string>,
  timeoutMs = 30_000
): Promise<RuntimeServer> {
  const port = await freePort()
  let args: string[]
  if (runtime === 'bun') {
    const entry = join(dir, 'bun-entry.mjs')
    writeFileSync(
      entry,
      `import worker from './worker.mjs'\nBun.serve({ hostname: '127.0.0.1', port: ${port}, fetch: (r) => worker.fetch(r) })\n`
    )
    args = [entry]
  } else if (runtime === 'deno') {
    args = [
      'serve',
      '--allow-env',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      join(dir, 'worker.mjs'),
    ]
  } else {
    const bindings = Object.entries(env)
      .map(([k, v]) => `(name = ${JSON.stringify(k)}, text = ${JSON.stringify(v)})`)
      .join(', ')
    const date = (require('workerd') as { compatibilityDate: string }).compatibilityDate
    writeFileSync(
      join(dir, 'config.capnp'),
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker", esModule = embed "worker.mjs") ],
  compatibilityDate = "${date}",
  bindings = [ ${bindings} ],
);
`
    )
    args = ['serve', join(dir, 'config.capnp')]
  }
  let output = ''
  const child: ChildProcess = spawn(binary(runtime), args, {
    cwd: dir,
    env: { ...process.env, ...env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (c: Buffer) => (output += c))
  child.stderr?.on('data', (c: Buffer) => (output += c))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    await exited
    clearTimeout(timer)
  }
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${runtime} exited early:\n${output}`)
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, stop }
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`${runtime} did not answer within ${timeoutMs} ms:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
