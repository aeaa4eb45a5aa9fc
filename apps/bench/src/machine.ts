/**
 * @module
 * What the report says about the run: machine, node, valgrind and every peer's version.
 */
import { execFileSync } from 'node:child_process'
import { cpus, freemem, loadavg, totalmem } from 'node:os'
import { readFileSync, realpathSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { ROOT } from './build'

/** Facts about the machine and runtime. */
export interface MachineInfo {
  date: string
  nproc: number
  cpu: string
  memory: string
  node: string
  v8: string
  loadAtStart: string
  /** The commit measured (`git rev-parse --short HEAD`), `+dirty` with uncommitted changes. */
  commit: string
}

/** Reads the machine facts now. */
export function machineInfo(): MachineInfo {
  return {
    date: new Date().toISOString(),
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB (${(freemem() / 2 ** 30).toFixed(
      1
    )} GiB free)`,
    node: process.version,
    v8: process.versions.v8,
    loadAtStart: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
    commit: commitOf(),
  }
}

function commitOf(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT })
      .toString()
      .trim()
    const dirty = execFileSync(
      'git',
      ['status', '--porcelain', '--', '../../packages', 'src', 'package.json'],
      {
        cwd: ROOT,
      }
    ).toString()
    return dirty.trim() === '' ? head : `${head}+dirty`
  } catch {
    return 'unknown (no git)'
  }
}

function versionAt(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string })
    .version
}

/** Installed version of a dev dependency of the bench (or of one of its dependencies). */
export function versionOf(name: string): string {
  try {
    return versionAt(join(ROOT, 'node_modules', name))
  } catch {
    // srvx comes with h3: it sits beside h3 in pnpm's store.
    try {
      return versionAt(join(dirname(realpathSync(join(ROOT, 'node_modules/h3'))), name))
    } catch {
      return 'unknown'
    }
  }
}

/** Every peer package the report lists. */
export const PEERS: readonly string[] = [
  'fastify',
  '@fastify/helmet',
  '@fastify/cors',
  '@fastify/etag',
  '@fastify/compress',
  '@fastify/jwt',
  'hono',
  '@hono/node-server',
  'h3',
  'srvx',
  'koa',
  '@koa/router',
  'express',
  'itty-router',
  'find-my-way',
  'rou3',
  'autocannon',
  'mitata',
  'esbuild',
]
