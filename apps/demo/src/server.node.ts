import { serve } from '@cycle/gateway-node'
import { buildApp } from './app'

const app = buildApp()
const port = Number(process.env['PORT'] ?? 3000)
const hostname = process.env['HOST'] ?? '127.0.0.1'
const server = await serve(app, { port, hostname, handleSignals: true })
console.log(`Cycle demo listening on ${server.url}`)
console.log(app.describe())
