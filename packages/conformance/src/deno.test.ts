import { gatewaySuite } from '@cycle/testing/suite'
import { launchFetchServer } from './launch'

// gateway-fetch's handler behind Deno.serve, in a Deno child process, over real HTTP.
gatewaySuite('gateway-fetch on Deno', () => launchFetchServer('deno'), {
  runtimeRefuses: {
    // Deno's HTTP server (hyper) refuses a request with two Host lines: an empty 400 with
    // `connection: close`, before the handler is called.
    'fields.repeated-host': 'Deno answers two Host lines with its own empty 400',
  },
})
