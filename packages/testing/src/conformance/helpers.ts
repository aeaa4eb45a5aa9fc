/**
 * @module
 * Helpers shared by the scenarios: URL joining, unique probe ids, polling the fixture's probe.
 */
import { AssertionError } from './assert'

/** Joins a base URL and an absolute path without normalizing the path (it may be malformed on purpose). */
export function at(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, '') + path
}

let counter = 0

/** A probe id unique to this run: ids are keys in the fixture's module-level state. */
export function uid(prefix: string): string {
  counter++
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 8)}`
}

/** Resolves after `ms`. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * Polls `GET /probe?probe=<id>` until `until(record)` holds, or fails after `timeoutMs` with
 * the last record seen. Bounded: never waits longer than `timeoutMs`.
 */
export async function pollProbe(
  baseUrl: string,
  id: string,
  until: (record: Record<string, unknown>) => boolean,
  what: string,
  timeoutMs = 5000
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs
  let last: unknown = null
  for (;;) {
    const res = await fetch(at(baseUrl, `/probe?probe=${encodeURIComponent(id)}`))
    last = res.ok ? await res.json() : `status ${res.status}`
    if (typeof last === 'object' && last !== null && until(last as Record<string, unknown>)) {
      return last as Record<string, unknown>
    }
    if (Date.now() > deadline) {
      throw new AssertionError(
        `${what}: the server never reported it within ${timeoutMs} ms (last probe: ${JSON.stringify(last)})`
      )
    }
    await delay(20)
  }
}

/** Reads one chunk from `reader` and decodes it; fails when the stream ends first. */
export async function readChunk(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  what: string
): Promise<string> {
  const { value, done } = await reader.read()
  if (done) throw new AssertionError(`${what}: the stream ended before any chunk arrived`)
  return new TextDecoder().decode(value)
}

/** Builds a `Uint8Array` of `size` bytes from `byte(i)`. */
export function bytesOf(size: number, byte: (i: number) => number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size)
  for (let i = 0; i < size; i++) out[i] = byte(i)
  return out
}

/** The index of the first differing byte, or -1 when equal. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.byteLength, b.byteLength)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i
  return a.byteLength === b.byteLength ? -1 : n
}
