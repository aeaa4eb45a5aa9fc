/**
 * @module
 * The soak's rule, case by case: what makes an outcome unexpected.
 */
import type { Case } from './cases'
import type { Outcome } from './raw'

/**
 * Why `outcome` is unexpected for `c`, or `null` when it is fine. The rule: never a 5xx, never a
 * stalled exchange; an answer unless the client left (`closeOk`); the case's exact statuses when it
 * has some (`exact` overrides them, for `--exact`).
 */
export function judge(c: Case, outcome: Outcome, want = 1, exact?: number): string | null {
  if (outcome.timedOut) return 'no answer in time'
  const { statuses } = outcome
  const server = statuses.find((s) => s >= 500)
  if (server !== undefined) return `status ${server}`
  if (c.closeOk === true) return null
  if (statuses.length === 0) {
    return outcome.error !== null ? `no answer (${outcome.error})` : 'closed without an answer'
  }
  if (statuses.length < want) return `${statuses.length} of ${want} answers`
  const wanted = exact !== undefined ? [exact] : c.expect
  if (wanted === undefined) return null
  // `expect` lists the statuses in order for a pipelined exchange, a set otherwise.
  const ordered = wanted.length > 1 && wanted.length === statuses.length
  for (let i = 0; i < statuses.length; i++) {
    const s = statuses[i] as number
    const ok = ordered ? s === wanted[i] : wanted.includes(s)
    if (!ok) return `status ${s}, expected ${wanted.join(' or ')}`
  }
  return null
}
