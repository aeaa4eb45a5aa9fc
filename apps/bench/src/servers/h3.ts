/**
 * @module
 * h3 v2 on srvx's node adapter (`serve()` from `h3`), the app of `_h3-app.ts`.
 */
import { serve } from 'h3'
import { buildH3App } from './_h3-app'
import { announce, PORT } from './_shared'

const server = serve(buildH3App(), { port: PORT, hostname: '127.0.0.1', silent: true })
await server.ready()
announce(Number(new URL(server.url as string).port))
