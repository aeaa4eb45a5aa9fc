/**
 * Entry script for the cluster test: the primary and both workers run it. The primary prints the
 * shared URL and the worker pids as one JSON line; each worker answers with its own pid.
 */
import { CycleResponse } from '@cycle/core'
import { serveCluster } from '../cluster'

const handle = await serveCluster(
  () => ({ handle: () => new CycleResponse(String(process.pid)) }),
  {
    port: 0,
    workers: 2,
    handleSignals: true,
    shutdownTimeout: 1_000,
  }
)
if (handle.isPrimary) console.log(JSON.stringify({ url: handle.url, workers: handle.workers }))
