/**
 * The server the forwarding conformance scenarios run against on gateway-node: one node:http
 * server, one `toNodeHandler(app, { trustProxy: TRUST_FORMS[form] })` per `/trust/<form>/`
 * prefix (trust off for the rest). `serve()` takes one `trustProxy`, so the suite's main server
 * cannot host every form; `gatewaySuite()` gets this one as `trustUrl`. Used by
 * `src/conformance.test.ts` (Node 20) and `packages/conformance` (Node 24).
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { GatewayApp } from '@cycle/core/gateway'
import { TRUST_FORM_NAMES, TRUST_FORMS, trustFormOf, type TrustForm } from '@cycle/testing'
import { toNodeHandler, type NodeHandler } from '../handler'

/** A listening trust-forms server. */
export interface TrustServer {
  /** `http://127.0.0.1:<port>` */
  url: string
  /** The bound port. */
  port: number
  /** Closes the server and its connections. */
  close(): Promise<void>
}

/** Serves `app` once per trust form on 127.0.0.1, port 0. */
export async function serveTrustForms(app: GatewayApp): Promise<TrustServer> {
  const plain = toNodeHandler(app)
  const byForm = {} as Record<TrustForm, NodeHandler>
  for (const form of TRUST_FORM_NAMES) {
    byForm[form] = toNodeHandler(app, { trustProxy: TRUST_FORMS[form] })
  }
  const server = http.createServer((req, res) => {
    const form = trustFormOf(req.url ?? '/')
    ;(form === null ? plain : byForm[form])(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
