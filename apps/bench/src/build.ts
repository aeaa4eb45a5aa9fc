/**
 * @module
 * Bundles every entry (servers and in-process benches) into `.out/` with esbuild, so each runs as
 * plain JS on the same node. Cycle's packages are bundled from source (`@cycle/source`); npm
 * packages stay external and load from `node_modules` as users run them.
 */
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, type Plugin } from 'esbuild'

/** `apps/bench`. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
/**
 * Where bundles go (gitignored). `BENCH_OUT` moves them, e.g. to `.out-profile` to profile while
 * a run is going; keep it inside `apps/bench` so the bundles still find `node_modules`.
 */
export const OUT = process.env['BENCH_OUT'] ?? join(ROOT, '.out')

const externalNpm: Plugin = {
  name: 'external-npm',
  setup(b) {
    // Bare specifiers are external, except Cycle's workspace packages (bundled from source).
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@cycle/') ? undefined : { path: args.path, external: true }
    )
  },
}

/** Entry files: every server (not `_`-prefixed) and the in-process benches. */
export function entries(): string[] {
  const servers = readdirSync(join(ROOT, 'src/servers'))
    .filter((f) => f.endsWith('.ts') && !f.startsWith('_') && !f.endsWith('.test.ts'))
    .map((f) => join(ROOT, 'src/servers', f))
  const inproc = readdirSync(join(ROOT, 'src/inproc'))
    .filter((f) => f.endsWith('.ts') && !f.startsWith('_') && !f.endsWith('.test.ts'))
    .map((f) => join(ROOT, 'src/inproc', f))
  return [...servers, ...inproc]
}

/** Builds every bundle; resolves to the output directory. Throws with esbuild's messages. */
export async function buildAll(): Promise<string> {
  await build({
    entryPoints: entries(),
    outdir: OUT,
    outbase: join(ROOT, 'src'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    conditions: ['@cycle/source'],
    outExtension: { '.js': '.mjs' },
    plugins: [externalNpm],
    logLevel: 'error',
    sourcemap: false,
    minify: false,
  })
  return OUT
}

/** Path of a server's bundle. */
export function serverBundle(entry: string): string {
  return join(OUT, 'servers', `${entry}.mjs`)
}

/** Path of an in-process bench's bundle. */
export function inprocBundle(entry: string): string {
  return join(OUT, 'inproc', `${entry}.mjs`)
}
