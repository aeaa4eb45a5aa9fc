/**
 * @module
 * The composed stack (`stack-app.ts`) behind gateway-node's `serve()`, run by the Node 24 binary,
 * with `serveStatic()` over the folder named by `STACK_STATIC_ROOT` (the bundle runs from a temp
 * folder, so the test says where the fixtures are). Prints `{"port": N}` once listening.
 */
import { serve } from '@cycle/gateway-node'
import { serveStatic } from '@cycle/middleware-static'
import { createStackApp } from './stack-app'

const root = process.env['STACK_STATIC_ROOT']
if (root === undefined) throw new Error('STACK_STATIC_ROOT is not set')
const app = createStackApp({ files: serveStatic({ root, prefix: '/static/' }) })
const server = await serve(app, { port: 0, hostname: '127.0.0.1' })
console.log(JSON.stringify({ port: server.port }))
