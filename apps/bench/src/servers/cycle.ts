/**
 * @module
 * Cycle on `@cycle/gateway-node` (`serve()`), the app of `_cycle-app.ts`. `SCHEMAS=1` adds the
 * response schemas (like the Fastify variant).
 */
import { serve } from '@cycle/gateway-node'
import { buildCycleApp } from './_cycle-app'
import { announce, PORT } from './_shared'

const handle = await serve(buildCycleApp({ schemas: process.env['SCHEMAS'] === '1' }), { port: PORT, hostname: '127.0.0.1' })
announce(handle.port)
