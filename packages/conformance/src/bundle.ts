/**
 * @module
 * Bundles a server entry into one self-contained ES module. Workspace packages export TypeScript
 * under the `@cycle/source` condition, which Bun, Deno, workerd and plain Node cannot load from
 * `node_modules`; one esbuild bundle per entry sidesteps module resolution in every runtime.
 */
import { basename, extname, join } from 'node:path'
import { build } from 'esbuild'
import type { Plugin } from 'esbuild'

/** Options of {@link bundleServer}. */
export interface BundleOptions {
  /** Absolute path of the entry file (e.g. `servers/fetch-bun.ts`). */
  entry: string
  /** Directory the `.mjs` file is written to. */
  outdir: string
  /**
   * `'node'` for entries run by Node (they import `node:*`); `'neutral'` for the fetch runtimes, so
   * a `node:*` import sneaking into gateway-fetch or the fixture app fails the bundle.
   */
  platform: 'node' | 'neutral'
  /**
   * Import specifiers to swap for other files, matched exactly
   * (`{ './fetch-handler': '/abs/smoke-handler.ts' }`).
   * Lets one runtime entry serve either the fixture app or a trivial handler.
   */
  replace?: Readonly<Record<string, string>>
  /**
   * With `'neutral'`: leave `node:*` imports to the runtime (Bun and Deno have `node:fs`), for a
   * server that reads files through a package written for Node's file system.
   */
  nodeBuiltins?: boolean
}

function replacePlugin(replace: Readonly<Record<string, string>>): Plugin {
  return {
    name: 'conformance-replace',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /.*/ }, (args) => {
        const target = replace[args.path]
        return target === undefined ? undefined : { path: target }
      })
    },
  }
}

/**
 * Bundles `entry` (and everything it imports, workspace packages included) into
 * `<outdir>/<entry name>.mjs`.
 *
 * @param options - see {@link BundleOptions}
 * @returns the absolute path of the written bundle
 * @throws esbuild's BuildFailure (with every message) when the entry does not build
 */
export async function bundleServer(options: BundleOptions): Promise<string> {
  const outfile = join(options.outdir, `${basename(options.entry, extname(options.entry))}.mjs`)
  // build() rejects with every esbuild message in its error, so a broken entry fails loudly.
  await build({
    entryPoints: [options.entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: options.platform,
    // Every runtime here runs ES2022; keeping syntax as written keeps stack traces readable.
    target: 'es2022',
    conditions: ['@cycle/source'],
    // 'neutral' has no main fields by default; restore the usual ones for any plain npm dependency.
    mainFields: options.platform === 'neutral' ? ['module', 'main'] : undefined,
    plugins: options.replace === undefined ? [] : [replacePlugin(options.replace)],
    external: options.nodeBuiltins === true ? ['node:*'] : [],
    sourcemap: 'inline',
    logLevel: 'silent',
  })
  return outfile
}
