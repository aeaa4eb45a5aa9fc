import { gatewaySuite } from '@cycle/testing/suite'
import { launchFetchServer } from './launch'

// gateway-fetch as a Workers ES module in workerd (Cloudflare Workers' runtime), over real HTTP.
gatewaySuite('gateway-fetch on workerd', () => launchFetchServer('workerd'), {
  unsupported: {
    'streaming.request-signal':
      'workerd does not abort request.signal when the client disconnects ' +
      '(a bare Worker shows the same, with or without request_signal_passthrough)',
  },
})
