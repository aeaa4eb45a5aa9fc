import { gatewaySuite } from '@cycle/testing/suite'
import { createConformanceHandler } from '../test-support/conformance-handler'
import { startNodeFetchServer, type NodeBridgeInfo } from '../test-support/node-bridge'

// The shared conformance scenarios over real HTTP: gateway-fetch behind a hand-written
// node:http ↔ fetch bridge on Node 20, listening on 127.0.0.1 port 0. The bridge passes the
// socket address as the second argument, as Deno passes its `info`.
gatewaySuite('gateway-fetch (Node 20)', async () => {
  const handler = createConformanceHandler<NodeBridgeInfo | undefined>(
    (_request, info) => info?.remoteAddress
  )
  const server = await startNodeFetchServer(handler, { port: 0, hostname: '127.0.0.1' })
  return { baseUrl: server.url, close: () => server.close() }
})
