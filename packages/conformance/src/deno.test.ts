import { gatewaySuite } from '@cycle/testing/suite'
import { launchFetchServer } from './launch'

// gateway-fetch's handler behind Deno.serve, in a Deno child process, over real HTTP.
gatewaySuite('gateway-fetch on Deno', () => launchFetchServer('deno'))
