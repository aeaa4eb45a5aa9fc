import { createFixtureApp } from '@cycle/testing'
import { gatewaySuite } from '@cycle/testing/suite'
import { serve } from './index'

gatewaySuite('gateway-node (Node 20)', async () => {
  const server = await serve(createFixtureApp(), { port: 0, hostname: '127.0.0.1' })
  return { baseUrl: server.url, close: () => server.close({ timeout: 2_000 }) }
})
