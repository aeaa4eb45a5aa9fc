/**
 * @module
 * gateway-node on Node (run by the Node 24 binary): `serve()` over the fixture app.
 * Prints `{"port": N}` once listening.
 */
import { serve } from '@cycle/gateway-node'
import { createFixtureApp } from '@cycle/testing'

const server = await serve(createFixtureApp(), { port: 0, hostname: '127.0.0.1' })
console.log(JSON.stringify({ port: server.port }))
