import { gatewaySuite } from '@cycle/testing/suite'
import { launchFetchServer } from './launch'
import { scenariosTolerating } from './tolerate'

// gateway-fetch as a Workers ES module in workerd (Cloudflare Workers' runtime), over real HTTP.
gatewaySuite('gateway-fetch on workerd', () => launchFetchServer('workerd'), {
  unsupported: {
    'streaming.request-signal':
      'workerd does not abort request.signal when the client disconnects ' +
      '(a bare Worker shows the same, with or without request_signal_passthrough)',
  },
  scenarios: scenariosTolerating({
    'bodies.limit-chunked':
      'workerd resets a connection whose request body was not read to the end, ' +
      'so the client may get EPIPE before the 413 (about half the runs)',
  }),
})
