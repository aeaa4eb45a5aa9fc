/**
 * @module
 * `GET /api/me`, `GET /healthz` and the deliberate failure `/api/debug/boom`.
 */
import { ServiceUnavailable, Unauthorized, type JsonSchema } from '@cycle/core'
import { currentUser, type DemoContext, type DemoRequest } from '../context'
import type { StoreHealth, UserRecord } from '../store/types'

/** What `GET /api/me` answers. */
export interface Me {
  id: string
  username: string
  createdAt: string
}

/**
 * The response schema of `GET /api/me` (format's envelope around a {@link Me}): the view returns
 * the whole user record, and the schema is what keeps `passwordHash` off the wire, in every
 * representation format renders.
 */
export const ME_RESPONSE = {
  type: 'object',
  properties: {
    data: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        username: { type: 'string' },
        createdAt: { type: 'string', format: 'date-time' },
      },
      required: ['id', 'username', 'createdAt'],
    },
    meta: {},
  },
  required: ['data'],
} as const satisfies JsonSchema

/** The system views, bound to one app's context. */
export function systemViews(ctx: DemoContext) {
  return {
    async me(request: DemoRequest): Promise<UserRecord> {
      const user = currentUser(request)
      const record = await ctx.store.findUserById(user.id)
      // The backend found the user a moment ago; gone now means it was deleted meanwhile.
      if (record === null) throw new Unauthorized('Your account no longer exists.')
      return record // written as a Me by ME_RESPONSE
    },

    async health(): Promise<{ status: 'ok'; database: StoreHealth }> {
      const database = await ctx.store.ping()
      if (!database.ok) throw new ServiceUnavailable('The database does not answer.')
      return { status: 'ok', database }
    },

    boom(): never {
      // Not an HttpError: core answers 500 and, outside debug mode, shows none of this message.
      throw new Error('Boom: a view failed on purpose (CYCLE_DEMO_DEBUG_ROUTES).')
    },
  }
}
