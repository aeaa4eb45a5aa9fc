/**
 * @module
 * One call per (gateway, runtime) pair: bundle the server entry into a fresh temp dir, start the
 * runtime on it, wait until it listens on 127.0.0.1, and hand back `{ baseUrl, close() }`, the
 * shape `gatewaySuite()` expects from its setup.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bundleServer } from './bundle'
import { runtimeBinary, workerdCompatibilityDate } from './runtimes'
import type { RuntimeName } from './runtimes'
import { startServer } from './server-process'
import type { RunningServer } from './server-process'

/** The runtimes gateway-fetch is launched on. */
export type FetchRuntime = RuntimeName

/** Options of {@link launchFetchServer} and {@link launchNodeGateway}. */
export interface LaunchOptions {
  /**
   * Absolute path of a module exporting `handler` to serve instead of the fixture app behind
   * gateway-fetch (`servers/fetch-handler.ts`). Used to test the launchers on their own.
   */
  handlerModule?: string
  /** Startup bound, 30 s by default. */
  timeoutMs?: number
  /** Extra environment for the child. */
  env?: Record<string, string>
  /**
   * A folder the server reads through `node:fs` (Bun and Deno only): its `node:*` imports are
   * left to the runtime, and Deno is allowed to read there (`--allow-read`).
   */
  readFolder?: string
}

const SERVERS = fileURLToPath(new URL('../servers/', import.meta.url))

/** Absolute path of a file in `packages/conformance/servers/`. */
export function serverEntry(name: string): string {
  return join(SERVERS, name)
}

/**
 * Finds a free port on 127.0.0.1 by binding port 0 and closing again. Only for workerd, whose
 * config names its socket address up front; the other runtimes bind port 0 themselves.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))))
    })
  })
}

/**
 * The workerd config: one worker from the ES module `moduleFile` (a path relative to the config),
 * one HTTP socket on 127.0.0.1:`port`.
 */
export function workerdConfig(port: number, compatibilityDate: string, moduleFile: string): string {
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);

const worker :Workerd.Worker = (
  modules = [ (name = "worker", esModule = embed "${moduleFile}") ],
  compatibilityDate = "${compatibilityDate}",
);
`
}

/** Deletes the temp dir after the server, whatever happens to the server. */
function withCleanup(server: RunningServer, dir: string): RunningServer {
  return {
    ...server,
    close: async () => {
      try {
        await server.close()
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
    },
  }
}

async function launch(
  label: string,
  dir: string,
  start: () => Promise<RunningServer>
): Promise<RunningServer> {
  try {
    return withCleanup(await start(), dir)
  } catch (error) {
    await rm(dir, { recursive: true, force: true })
    throw error instanceof Error && error.message.startsWith(label)
      ? error
      : new Error(`${label}: cannot start`, { cause: error })
  }
}

/**
 * Serves a gateway-fetch handler (the fixture app unless `handlerModule` is given) on `runtime`.
 *
 * @param runtime - `'bun'`, `'deno'`, `'workerd'`, or `'node24'` (via gateway-fetch's node bridge)
 * @param options - see {@link LaunchOptions}
 * @returns the running server; call `close()` to stop it and delete its temp files
 * @throws Error naming the runtime, with the child's stderr, when it does not start in time
 */
export async function launchFetchServer(
  runtime: FetchRuntime,
  options: LaunchOptions = {}
): Promise<RunningServer> {
  const label = `gateway-fetch on ${runtime}`
  const dir = await mkdtemp(join(tmpdir(), `cycle-conformance-${runtime}-`))
  const replace =
    options.handlerModule === undefined ? undefined : { './fetch-handler': options.handlerModule }
  const common = { label, cwd: dir, timeoutMs: options.timeoutMs }
  const nodeBuiltins = options.readFolder !== undefined

  return launch(label, dir, async () => {
    switch (runtime) {
      case 'bun': {
        const entry = serverEntry('fetch-bun.ts')
        const file = await bundleServer({
          entry,
          outdir: dir,
          platform: 'neutral',
          replace,
          nodeBuiltins,
        })
        return startServer({
          ...common,
          command: runtimeBinary('bun'),
          // --no-install: the bundle is self-contained; never let Bun fetch a missing import.
          args: ['run', '--no-install', file],
          env: { DO_NOT_TRACK: '1', ...options.env },
          ready: { kind: 'port-line' },
        })
      }
      case 'deno': {
        const entry = serverEntry('fetch-deno.ts')
        const file = await bundleServer({
          entry,
          outdir: dir,
          platform: 'neutral',
          replace,
          nodeBuiltins,
        })
        return startServer({
          ...common,
          command: runtimeBinary('deno'),
          // Self-contained bundle: no remote modules, no npm, no config or lock file lookups.
          args: [
            'run',
            '--quiet',
            '--allow-net=127.0.0.1',
            '--allow-env',
            ...(options.readFolder === undefined ? [] : [`--allow-read=${options.readFolder}`]),
            '--no-prompt',
            '--no-remote',
            '--no-npm',
            '--no-config',
            '--no-lock',
            file,
          ],
          env: { DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(dir, 'deno-dir'), ...options.env },
          ready: { kind: 'port-line' },
        })
      }
      case 'workerd': {
        const entry = serverEntry('fetch-workerd.ts')
        const file = await bundleServer({ entry, outdir: dir, platform: 'neutral', replace })
        // The port is free when picked but may be taken before workerd binds it: pick again.
        for (let attempt = 1; ; attempt++) {
          const port = await freePort()
          // workerd resolves `embed` paths relative to the config, which sits beside the bundle.
          const config = workerdConfig(port, workerdCompatibilityDate(), basename(file))
          await writeFile(join(dir, 'config.capnp'), config)
          try {
            return await startServer({
              ...common,
              command: runtimeBinary('workerd'),
              args: ['serve', join(dir, 'config.capnp')],
              ready: { kind: 'http', port },
            })
          } catch (error) {
            const taken = error instanceof Error && /Address already in use/.test(error.message)
            if (!taken || attempt === 3) throw error
          }
        }
      }
      case 'node24': {
        const entry = serverEntry('node-fetch.ts')
        const file = await bundleServer({ entry, outdir: dir, platform: 'node', replace })
        return startServer({
          ...common,
          command: runtimeBinary('node24'),
          args: [file],
          env: options.env,
          ready: { kind: 'port-line' },
        })
      }
    }
  })
}

/**
 * Serves the fixture app through gateway-node's `serve()` on the Node 24 binary.
 *
 * @param options - `timeoutMs`, and `entry` to serve another app (gateway-node serves a Cycle
 *   app, not a fetch handler)
 * @returns the running server; call `close()` to stop it and delete its temp files
 * @throws Error with the child's stderr when it does not start in time
 */
export async function launchNodeGateway(
  options: Pick<LaunchOptions, 'timeoutMs'> & {
    /** Entry in `servers/` to run instead of the fixture app's (`node-gateway.ts`). */
    entry?: string
    /** Extra environment for the child. */
    env?: Record<string, string>
  } = {}
): Promise<RunningServer> {
  const label = 'gateway-node on node24'
  const dir = await mkdtemp(join(tmpdir(), 'cycle-conformance-node24-'))
  return launch(label, dir, async () => {
    const entry = serverEntry(options.entry ?? 'node-gateway.ts')
    const file = await bundleServer({ entry, outdir: dir, platform: 'node' })
    return startServer({
      label,
      cwd: dir,
      timeoutMs: options.timeoutMs,
      command: runtimeBinary('node24'),
      args: [file],
      env: options.env,
      ready: { kind: 'port-line' },
    })
  })
}
