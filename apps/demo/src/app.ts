/**
 * The demo app (a first, in-memory version; the full notes service with SQLite, auth and the
 * Cycle Inspector is tracked in its own issue). It shows a stack composed Django-style.
 */
import {
  createApp,
  defineMiddleware,
  include,
  json,
  NotFound,
  path,
  text,
  UnprocessableEntity,
  type StateOf,
} from '@cycle/core'

export const requestId = defineMiddleware<{ requestId: string }>({
  name: 'requestId',
  request(req) {
    req.state.requestId = crypto.randomUUID()
  },
  response(req, res) {
    res.headers.set('x-request-id', req.state.requestId)
  },
})

export const accessLog = defineMiddleware({
  name: 'accessLog',
  response(req, res) {
    if (process.env['CYCLE_DEMO_QUIET'] !== '1') console.log(`${req.method} ${req.target} → ${res.status}`)
  },
})

export const middleware = [requestId, accessLog] as const
export type State = StateOf<typeof middleware>

interface Note {
  id: number
  title: string
}

/** Builds the demo app with its own in-memory store. */
export function buildApp() {
  const notes = new Map<number, Note>()
  let nextId = 1
  const noteUrls = [
    path('', () => ({ notes: [...notes.values()] }), { name: 'list', methods: ['GET'] }),
    path(
      '',
      async (req) => {
        const body = (await req.json()) as { title?: unknown }
        if (typeof body?.title !== 'string' || body.title.length === 0) {
          throw new UnprocessableEntity([{ pointer: '/title', detail: 'A non-empty string is required.' }])
        }
        const note = { id: nextId++, title: body.title }
        notes.set(note.id, note)
        const res = json(note, 201)
        res.headers.set('location', app.reverse('notes:detail', { id: note.id }))
        return res
      },
      { name: 'create', methods: ['POST'] }
    ),
    path(
      '<int:id>/',
      (req) => {
        const note = notes.get(req.params.id)
        if (!note) throw new NotFound(`No note ${req.params.id}.`)
        return note
      },
      { name: 'detail' }
    ),
  ]
  const app = createApp({
    middleware,
    allowedHosts: ['localhost', '127.0.0.1', '[::1]'],
    urls: [
      path('', () => text('Cycle demo: try GET /api/notes/ or POST /api/notes/ {"title":"…"}\n'), { name: 'home' }),
      path('healthz', () => ({ ok: true }), { name: 'health' }),
      include('api/notes/', noteUrls, { namespace: 'notes' }),
    ],
  })
  return app
}
