import { createFixtureApp } from '@cycle/testing'
import { gatewaySuite } from '@cycle/testing/suite'
import { serveTrustForms } from './__fixtures__/trust-server'
import { serve } from './index'

// serve() hosts the fixture app; the forwarding scenarios go to a second server with one
// toNodeHandler() per trustProxy form (serve() takes a single trustProxy), over the same app.
gatewaySuite('gateway-node (Node 20)', async () => {
  const app = createFixtureApp()
  const server = await serve(app, { port: 0, hostname: '127.0.0.1' })
  const trust = await serveTrustForms(app)
  return {
    baseUrl: server.url,
    trustUrl: trust.url,
    close: async () => {
      await Promise.all([server.close({ timeout: 2_000 }), trust.close()])
    },
  }
})
