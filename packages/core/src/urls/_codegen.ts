/**
 * @module
 * Optional code generation for the hot path (what find-my-way and rou3's compiler do): the
 * matcher and the params objects are compiled to JavaScript once, at startup. Where generating
 * code from strings is disallowed (Cloudflare Workers, Node's
 * `--disallow-code-generation-from-strings`, a strict CSP) `new Function` throws an `EvalError`
 * and callers fall back to their interpreted versions: same results, slower.
 *
 * Generated sources only ever embed numbers, `JSON.stringify`-quoted literals and validated
 * identifiers; everything else is passed in as arguments.
 */

let allowed: boolean | undefined
let enabled = true

/**
 * Turns code generation off (or back on) for resolvers built afterwards. For tests of the
 * fallback path.
 * @internal
 */
export function setCodeGeneration(on: boolean): void {
  enabled = on
}

/**
 * Compiles `body` into a function taking `params`, or returns `null` when code generation is
 * off or disallowed.
 * @internal
 */
export function generate(
  params: readonly string[],
  body: string
): ((...args: never[]) => unknown) | null {
  if (!enabled || allowed === false) return null
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const fn = new Function(...params, body) as (...args: never[]) => unknown
    allowed = true
    return fn
  } catch (error) {
    // Disallowed by the platform: remember it. Anything else (a SyntaxError) is a bug in the
    // generator and must surface.
    if (!(error instanceof EvalError)) throw error
    allowed = false
    return null
  }
}
