/**
 * @module
 * The notes API: `GET|POST /api/notes`, `GET|PATCH|DELETE /api/notes/<uuid:id>`. Every query goes
 * through the owner's id, so another user's note is a 404, exactly like a missing one.
 */
import { HttpError, json, noContent, NotFound, type CycleResponse } from '@cycle/core'
import { etag, hashString, precondition } from '@cycle/middleware-conditional'
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

/** A note's entity tag: its version, `"v3"`. Strong: every write bumps the version. */
export const noteTag = (note: Pick<Note, 'version'>): string => `v${note.version}`

/** The version `precondition()` loaded for a request, for the view's conditional write. */
const loadedVersion = new WeakMap<object, number>()

/**
 * `precondition()` for `api/notes/<uuid:id>`, after `requireAuth()`: loads the note's version,
 * so that a GET with a current `If-None-Match` is a 304 and a PATCH or DELETE with a stale
 * `If-Match` a 412, both before the view runs. Unconditional writes stay allowed (the Inspector
 * and curl examples send none); a client that wants optimistic concurrency sends `If-Match`.
 */
export function noteVersion(ctx: Pick<DemoContext, 'store'>) {
  return precondition(
    async (request: IdRequest) => {
      const note = await ctx.store.getNote(currentUser(request).id, request.params.id)
      if (note === null) return null
      loadedVersion.set(request, note.version)
      return { etag: noteTag(note) }
    },
    // format() negotiates JSON, HTML or text, and writes `Vary: Accept` only when it renders a
    // body: the 304 answered before the view repeats it here (RFC 9110 §15.4.5).
    { headers: { vary: 'Accept' } }
  )
}

/** The version to write at: the one `If-Match` was checked against, when the client sent one. */
function expectedVersion(request: IdRequest): number | undefined {
  return request.header('if-match') === null ? undefined : loadedVersion.get(request)
}

/** The notes views, bound to one app's context. */
export function noteViews(ctx: DemoContext) {
  const { store } = ctx
  const missing = (id: string): NotFound => new NotFound(`You have no note ${id}.`)
  // A conditional write that changed nothing: another writer got in between the precondition's
  // read and this write (412), or the note is gone (404).
  const lostOrMissing = async (owner: string, id: string, expected: number | undefined) => {
    if (expected === undefined || (await store.getNote(owner, id)) === null) return missing(id)
    return new HttpError(412, { detail: `Note ${id} changed since version ${expected}.` })
  }

  return {
    async list(request: DemoRequest): Promise<CycleResponse> {
      const user = currentUser(request)
      const { page, pageSize, q } = validated(request, listQuery).query
      const { items, total } = await store.listNotes(user.id, {
        q,
        limit: pageSize,
        offset: (page - 1) * pageSize,
      })
      const body: WithMeta<readonly Note[]> = withMeta(items, {
        page,
        pageSize,
        total,
        totalPages: Math.ceil(total / pageSize),
      })
      // The envelope's meta holds this request's id, so a tag hashed from the body would never
      // match twice: the tag is made from what the page shows (ids and versions). Weak, since
      // the bytes (the request id) differ from one answer to the next.
      const shown = `${page}/${pageSize}/${total}/${items
        .map((n) => `${n.id}.${n.version}`)
        .join(',')}`
      return etag(json(body), hashString(shown), { weak: true })
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

    async update(request: IdRequest): Promise<CycleResponse> {
      const patch = validated(request, patchBody).body
      const owner = currentUser(request).id
      const expected = expectedVersion(request)
      const note = await store.updateNote(owner, request.params.id, patch, expected)
      if (note === null) throw await lostOrMissing(owner, request.params.id, expected)
      return etag(json(note), noteTag(note))
    },

    async remove(request: IdRequest): Promise<CycleResponse> {
      const owner = currentUser(request).id
      const expected = expectedVersion(request)
      const deleted = await store.deleteNote(owner, request.params.id, expected)
      if (!deleted) throw await lostOrMissing(owner, request.params.id, expected)
      return noContent()
    },
  }
}
