/**
 * @module
 * Finds Debian's Chromium for the browser test, installing it with apt-get when it is missing.
 * Never `playwright install`: the machines reach Debian's packages and the npm registry only, so
 * the browser comes from Debian and playwright-core drives it through `executablePath`.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

/** Where Debian puts the browser. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium'

/** Flags that keep a headless Chromium quiet on a machine with a closed network. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** The Chromium binary on PATH (or at Debian's path), or `null`. */
export function findChromium(): string | null {
  const fromEnv = process.env['CHROMIUM_PATH']
  if (fromEnv && existsSync(fromEnv)) return fromEnv
  const which = spawnSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], {
    encoding: 'utf8',
  })
  const found = which.stdout.trim().split('\n')[0]
  if (which.status === 0 && found) return found
  return existsSync(DEFAULT_CHROMIUM) ? DEFAULT_CHROMIUM : null
}

/**
 * Returns the Chromium binary, installing Debian's `chromium` package first when there is none.
 * Bounded: apt-get gets `timeoutMs` in all. Throws an error that says what to do when it fails.
 */
export function ensureChromium(timeoutMs = 9 * 60_000): string {
  const existing = findChromium()
  if (existing !== null) return existing
  const started = Date.now()
  const run = (args: string[]): void => {
    const left = timeoutMs - (Date.now() - started)
    if (left <= 0) throw new Error('timed out')
    execFileSync('apt-get', args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: left,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    })
  }
  console.log('[demo] Chromium is missing: installing Debian\'s "chromium" package (one time)…')
  try {
    run(['update'])
    // DejaVu so the screenshot has readable text even on a minimal image.
    run(['install', '-y', '--no-install-recommends', 'chromium', 'fonts-dejavu-core'])
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(
      `The browser test needs Debian's Chromium and installing it failed (${reason.slice(0, 500)}). ` +
        'Install it by hand with `apt-get update && apt-get install -y chromium` (as root), ' +
        'or point CHROMIUM_PATH at a Chromium binary.'
    )
  }
  const installed = findChromium()
  if (installed === null) {
    throw new Error(
      'apt-get reported success but no chromium binary is on PATH; set CHROMIUM_PATH.'
    )
  }
  console.log(
    `[demo] Chromium installed at ${installed} in ${Math.round((Date.now() - started) / 1000)} s.`
  )
  return installed
}
