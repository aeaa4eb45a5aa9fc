import { gatewaySuite } from '@cycle/testing/suite'
import { launchFetchServer } from './launch'

// gateway-fetch's handler behind Bun.serve, in a Bun child process, over real HTTP.
gatewaySuite('gateway-fetch on Bun', () => launchFetchServer('bun'))
