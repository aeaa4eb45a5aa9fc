/**
 * @module
 * Hono on `@hono/node-server`, the app of `_hono-app.ts`.
 */
import { serve } from '@hono/node-server'
import { buildHonoApp } from './_hono-app'
import { announce, PORT } from './_shared'

serve({ fetch: buildHonoApp().fetch, port: PORT, hostname: '127.0.0.1' }, (info) =>
  announce(info.port)
)
