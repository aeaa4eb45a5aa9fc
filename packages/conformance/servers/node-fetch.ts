/**
 * @module
 * gateway-fetch on Node (run by the Node 24 binary): gateway-fetch's own node:http ⇄ fetch test
 * bridge serves the handler; it passes the socket address as the second argument.
 * Prints `{"port": N}` once listening.
 */
import {
  startNodeFetchServer,
  type NodeBridgeInfo,
} from '../../gateway-fetch/test-support/node-bridge'
import { createHandler } from './fetch-handler'

const handler = createHandler<NodeBridgeInfo | undefined>((_request, info) => info?.remoteAddress)
const server = await startNodeFetchServer(handler, { port: 0, hostname: '127.0.0.1' })
console.log(JSON.stringify({ port: Number(new URL(server.url).port) }))
