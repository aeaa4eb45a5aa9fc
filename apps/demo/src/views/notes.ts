/**
 * @module
 * The notes API: `GET|POST /api/notes`, `GET|PATCH|DELETE /api/notes/<uuid:id>`. Every query goes
 * through the owner's id, so another user's note is a 404, exactly like a missing one.
 */
import { json, noContent, NotFound, type CycleResponse } from '@cycle/core'
import { validate, validated, withMeta, type WithMeta } from '@cycle/middleware-format'
import { z } from 'zod'
import { currentUser, type DemoContext, type DemoRequest } from '../context'
import type { Note } from '../store/types'

const title = z.string().min(1).max(200)

/** `?page`, `?pageSize`, `?q` of the list. */
export const listQuery = validate({
  query: z.object({
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
    q: z.string().max(200).optional(),
  }),
})

/** The body of `POST /api/notes`. */
export const createBody = validate({ body: z.object({ title, body: z.string() }) })

/** The body of `PATCH /api/notes/<id>`: one field at least. */
export const patchBody = validate({
  body: z
    .object({ title: title.optional(), body: z.string().optional() })
    .refine((v) => v.title !== undefined || v.body !== undefined, {
      message: 'Give a title or a body to change.',
    }),
})

type IdRequest = DemoRequest<{ id: string }>

/** The notes views, bound to one app's context. */
export function noteViews(ctx: DemoContext) {
  const { store } = ctx
  const missing = (id: string): NotFound => new NotFound(`You have no note ${id}.`)

  return {
    async list(request: DemoRequest): Promise<WithMeta<readonly Note[]>> {
      const user = currentUser(request)
      const { page, pageSize, q } = validated(request, listQuery).query
      const { items, total } = await store.listNotes(user.id, {
        q,
        limit: pageSize,
        offset: (page - 1) * pageSize,
      })
      return withMeta(items, { page, pageSize, total, totalPages: Math.ceil(total / pageSize) })
    },

    async create(request: DemoRequest): Promise<CycleResponse> {
      const user = currentUser(request)
      const note = await store.createNote(user.id, validated(request, createBody).body)
      const res = json(note, 201)
      res.headers.set('location', ctx.reverse('api:note', { id: note.id }))
      return res
    },

    async detail(request: IdRequest): Promise<Note> {
      const note = await store.getNote(currentUser(request).id, request.params.id)
      if (note === null) throw missing(request.params.id)
      return note
    },

    async update(request: IdRequest): Promise<Note> {
      const patch = validated(request, patchBody).body
      const note = await store.updateNote(currentUser(request).id, request.params.id, patch)
      if (note === null) throw missing(request.params.id)
      return note
    },

    async remove(request: IdRequest): Promise<CycleResponse> {
      const deleted = await store.deleteNote(currentUser(request).id, request.params.id)
      if (!deleted) throw missing(request.params.id)
      return noContent()
    },
  }
}
