/**
 * The app the serve and TLS tests share: `/who` reports what the gateway saw (protocol, HTTP
 * version, host, path) and sets two cookies; `/stream` streams two chunks.
 */
import { json, stream, type CycleRequest } from '@cycle/core'
import type { NodeRequest } from '../request'
import { routesApp } from './net'

export const who: ReturnType<typeof routesApp> = routesApp({
  '/who': (r: CycleRequest) =>
    json({
      protocol: r.protocol,
      version: (r as NodeRequest).raw.httpVersion,
      host: r.host,
      path: r.path,
    })
      .setCookie('a', '1')
      .setCookie('b', '2'),
  '/stream': () =>
    stream(
      (async function* () {
        yield 'x'
        yield 'y'
      })()
    ),
})
