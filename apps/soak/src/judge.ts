/**
 * @module
 * The soak's rule, case by case: what makes an outcome unexpected.
 */
import type { Case } from './cases'
import type { Outcome } from './raw'

/**
 * Why `outcome` is unexpected for `c`, or `null` when it is fine. The rule: never a 5xx, never a
 * stalled exchange; exactly the case's expected statuses; an answer unless the client left
 * (`closeOk`); an answer cut short by the server when the case must be cut (`cut`).
 */
export function judge(c: Case, outcome: Outcome, want = 1): string | null {
  if (outcome.timedOut) return 'no answer in time'
  const { statuses } = outcome
  const server = statuses.find((s) => s >= 500)
  if (server !== undefined) return `status ${server}`
  if (c.cut === true && !outcome.truncated) return 'not cut by the server'
  if (c.closeOk !== true) {
    if (statuses.length === 0) {
      return outcome.error !== null ? `no answer (${outcome.error})` : 'closed without an answer'
    }
    if (statuses.length < want) return `${statuses.length} of ${want} answers`
  }
  const wanted = c.expect
  // `expect` lists the statuses in order for a pipelined exchange, a set otherwise.
  const ordered = wanted.length > 1 && wanted.length === statuses.length
  for (let i = 0; i < statuses.length; i++) {
    const s = statuses[i] as number
    const ok = ordered ? s === wanted[i] : wanted.includes(s)
    if (!ok) return `status ${s}, expected ${wanted.length > 0 ? wanted.join(' or ') : 'none'}`
  }
  return null
}
