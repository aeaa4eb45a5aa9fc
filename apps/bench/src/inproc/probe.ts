/**
 * @module
 * Preloaded (`node --import`) into a server for the memory figures; answers IPC messages:
 * `'gc'` runs a full collection (needs `--expose-gc`) and every message gets the memory usage
 * and the number of garbage collections seen so far. The server's own code is untouched.
 */
import { PerformanceObserver } from 'node:perf_hooks'

let collections = 0
new PerformanceObserver((list) => {
  collections += list.getEntries().length
}).observe({ entryTypes: ['gc'] })

const gc = (globalThis as { gc?: () => void }).gc

process.on('message', (message) => {
  if (message === 'gc' && gc !== undefined) {
    gc()
    gc()
  }
  // Let pending gc entries reach the observer before answering.
  setImmediate(() => {
    const m = process.memoryUsage()
    process.send?.({
      rss: m.rss,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
      collections,
    })
  })
})
// The IPC channel must not keep a server alive on its own, nor be what stops it.
process.channel?.unref()
