/**
 * @module
 * gateway-node on Node (run by the Node 24 binary): `serve()` over the fixture app, plus the
 * trust-forms server the forwarding scenarios use (one `toNodeHandler()` per `trustProxy` form).
 * Prints `{"port": N, "trustPort": M}` once both listen.
 */
import { serve } from '@cycle/gateway-node'
import { createFixtureApp } from '@cycle/testing'
import { serveTrustForms } from '../../gateway-node/src/__fixtures__/trust-server'

const app = createFixtureApp()
const server = await serve(app, { port: 0, hostname: '127.0.0.1' })
const trust = await serveTrustForms(app)
console.log(JSON.stringify({ port: server.port, trustPort: trust.port }))
