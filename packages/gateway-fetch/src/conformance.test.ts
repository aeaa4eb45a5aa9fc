import { createFixtureApp } from '@cycle/testing'
import { gatewaySuite } from '@cycle/testing/suite'
import { startNodeFetchServer } from '../test-support/node-bridge'
import { toFetchHandler } from './index'

// The shared conformance scenarios over real HTTP: gateway-fetch behind a hand-written
// node:http ↔ fetch bridge on Node 20, listening on 127.0.0.1 port 0.
gatewaySuite('gateway-fetch (Node 20)', async () => {
  const server = await startNodeFetchServer(toFetchHandler(createFixtureApp()), {
    port: 0,
    hostname: '127.0.0.1',
  })
  return { baseUrl: server.url, close: () => server.close() }
})
