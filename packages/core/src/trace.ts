/**
 * @module
 * Opt-in per-phase tracing. When on, each hook and the view are wrapped once at startup so their
 * timing and outcome land in `request.trace`; when off, nothing is wrapped and nothing is paid.
 */
import { HOOKS, type Layer } from './layer'
import type { CycleRequest, TraceEntry } from './request'
import { CycleResponse } from './response'

type Outcomes = readonly [onNothing: string, onResponse: string]

const OUTCOMES: Record<(typeof HOOKS)[number], Outcomes> = {
  request: ['next', 'responded'],
  view: ['next', 'responded'],
  render: ['passed', 'replaced'],
  exception: ['passed', 'handled'],
  response: ['kept', 'replaced'],
}

function statusOf(v: unknown): string {
  if (v instanceof CycleResponse || v instanceof Response) return ` ${v.status}`
  return ''
}

/** Records one trace entry on the request (no-op when tracing is off for it). */
export function record(
  req: CycleRequest,
  phase: string,
  name: string,
  t0: number,
  outcome: string
): void {
  const trace = req.trace
  if (trace === undefined) return
  const now = performance.now()
  const entry: TraceEntry = {
    phase,
    name,
    start: round(t0 - req.traceStart),
    duration: round(now - t0),
    outcome,
  }
  trace.push(entry)
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000
}

/** Wraps `fn` so each call is recorded under `phase`/`name`. */
export function traced<F extends (req: CycleRequest, ...rest: never[]) => unknown>(
  phase: string,
  name: string,
  fn: F,
  outcomes: Outcomes
): F {
  return function (this: unknown, req: CycleRequest, ...rest: never[]): unknown {
    const t0 = performance.now()
    let r: unknown
    try {
      r = fn.call(this, req, ...rest)
    } catch (e) {
      record(req, phase, name, t0, 'threw')
      throw e
    }
    if (typeof (r as { then?: unknown } | null)?.then === 'function') {
      return (r as Promise<unknown>).then(
        (v) => {
          record(req, phase, name, t0, v === undefined ? outcomes[0] : outcomes[1] + statusOf(v))
          return v
        },
        (e: unknown) => {
          record(req, phase, name, t0, 'threw')
          throw e
        }
      )
    }
    record(req, phase, name, t0, r === undefined ? outcomes[0] : outcomes[1] + statusOf(r))
    return r
  } as F
}

/** A copy of `layer` whose hooks record themselves. */
export function traceLayer(layer: Layer): Layer {
  const out: { -readonly [K in keyof Layer]: Layer[K] } = { ...layer }
  for (const phase of HOOKS) {
    const h = layer[phase]
    if (h !== undefined) {
      ;(out as unknown as Record<string, unknown>)[phase] = traced(phase, layer.name, h as never, OUTCOMES[phase])
    }
  }
  if (layer.onion !== null) {
    out.onion = traced('onion', layer.name, layer.onion as never, ['next', 'responded'])
  }
  return out
}

/** Formats a trace as a `Server-Timing` header value (RFC: W3C Server Timing). */
export function serverTiming(trace: readonly TraceEntry[]): string {
  return trace
    .map((t, i) => {
      const name = `${i}-${t.phase}-${t.name}`.replace(/[^!#$%&'*+\-.^_`|~0-9A-Za-z]/g, '_')
      return `${name};dur=${t.duration}`
    })
    .join(', ')
}
