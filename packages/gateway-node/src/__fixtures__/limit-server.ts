/**
 * A server for the lingering-close tests, run in its own process (`node --import tsx`): over a
 * real socket from another process, a reset shows up the way it does in production, which an
 * in-process server hides. Routes: `POST /small` reads the body with a 1 KiB limit,
 * `POST /ignore` answers without reading it. Prints `{"port": N}` once listening, then
 * `{"port": client port, "bytesRead": N}` each time a connection closes (what the server took off
 * the wire).
 */
import { createApp, json, text, type CycleRequest } from '@cycle/core'
import { serve } from '../serve'

const routes: Record<string, (request: CycleRequest) => Promise<ReturnType<typeof text>>> = {
  '/small': async (request) => {
    request.bodyLimit = 1024
    return json({ size: (await request.bytes()).byteLength })
  },
  '/ignore': () => Promise.resolve(text('ignored')),
}

const app = createApp({
  urls: [],
  middleware: [
    { name: 'router', request: (request: CycleRequest) => routes[request.path]?.(request) },
  ],
})

const server = await serve(app, { port: 0, hostname: '127.0.0.1', handleSignals: true })
server.server.on('connection', (socket) => {
  const port = socket.remotePort
  socket.once('close', () => console.log(JSON.stringify({ port, bytesRead: socket.bytesRead })))
})
console.log(JSON.stringify({ port: server.port }))
