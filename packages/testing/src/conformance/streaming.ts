/**
 * @module
 * Streaming and abort scenarios: chunks in order, incremental delivery (proved with a gate the
 * client opens after the first chunk, not with timing), client abort mid-stream, and
 * `request.signal` firing when the client goes away before the response.
 */
import { assert, assertEqual, assertStatus } from './assert'
import { at, delay, pollProbe, readChunk, uid } from './helpers'
import type { Scenario } from './types'

/** The streaming and abort scenarios. */
export const streamingScenarios: Scenario[] = [
  {
    id: 'streaming.chunks',
    title: 'an async-generator stream arrives whole and in order',
    async run(base) {
      const res = await fetch(at(base, '/stream?chunks=5&delay=5'))
      await assertStatus(res, 200, 'GET /stream')
      const expected = [0, 1, 2, 3, 4].map((i) => `chunk ${i}\n`).join('')
      assertEqual(await res.text(), expected, 'GET /stream body')
    },
  },
  {
    id: 'streaming.incremental',
    title: 'stream chunks reach the client before the stream ends',
    async run(base) {
      const id = uid('gated')
      const res = await fetch(at(base, `/stream/gated?id=${id}&timeout=5000`))
      await assertStatus(res, 200, 'GET /stream/gated')
      assert(res.body !== null, 'GET /stream/gated: no body')
      const reader = res.body.getReader()
      let received = await readChunk(reader, 'GET /stream/gated')
      // Only now, with the first chunk in hand, let the server produce the rest.
      const opened = await fetch(at(base, `/gate?id=${id}`), { method: 'POST' })
      await assertStatus(opened, 200, 'POST /gate')
      await opened.arrayBuffer()
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        received += new TextDecoder().decode(value)
      }
      assertEqual(received, 'first\nsecond\n', 'GET /stream/gated body')
      const probe = await pollProbe(base, id, (r) => r['gate'] !== undefined, 'gated stream')
      assertEqual(
        probe['gate'],
        'opened',
        'the gate (opened by the client after the first chunk; "timeout" means the gateway buffered the stream)'
      )
    },
  },
  {
    id: 'streaming.client-abort',
    title: 'a client abort mid-stream cancels the stream on the server',
    async run(base) {
      const id = uid('abort')
      const controller = new AbortController()
      const res = await fetch(at(base, `/stream/abortable?id=${id}`), { signal: controller.signal })
      await assertStatus(res, 200, 'GET /stream/abortable')
      assert(res.body !== null, 'GET /stream/abortable: no body')
      const reader = res.body.getReader()
      const first = await readChunk(reader, 'GET /stream/abortable')
      assert(first.startsWith('tick 0'), `GET /stream/abortable: unexpected first chunk "${first}"`)
      controller.abort()
      await reader.cancel().catch(() => {})
      const probe = await pollProbe(
        base,
        id,
        (r) => r['cancelled'] === true || r['aborted'] === true,
        'the server seeing the client abort (stream cancelled or request.signal aborted)'
      )
      assertEqual(probe['completed'], false, 'the aborted stream must not have run to completion')
    },
  },
  {
    id: 'streaming.request-signal',
    title: 'request.signal aborts when the client goes away before the response',
    async run(base) {
      const id = uid('signal')
      const controller = new AbortController()
      const pending = fetch(at(base, `/signal?id=${id}&timeout=8000`), {
        signal: controller.signal,
      }).then(
        () => 'answered',
        () => 'aborted'
      )
      await pollProbe(base, id, (r) => r['started'] === true, 'the /signal view starting')
      // Give the request a moment to be fully in flight on the server before going away.
      await delay(20)
      controller.abort()
      assertEqual(await pending, 'aborted', 'the client fetch')
      const probe = await pollProbe(
        base,
        id,
        (r) => r['finished'] === true,
        'the /signal view finishing'
      )
      assertEqual(probe['aborted'], true, 'request.signal aborted on the server')
    },
  },
]
