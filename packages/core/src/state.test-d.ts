import { describe, expectTypeOf, it } from 'vitest'
import { createApp } from './app'
import { defineMiddleware, type StateOf } from './middleware'
import type { CycleRequest } from './request'

const requestId = defineMiddleware<{ requestId: string }>({
  name: 'requestId',
  request(req) {
    req.state.requestId = 'abc'
  },
})
const auth = defineMiddleware<{ user: { id: number; name: string } }>({
  name: 'auth',
  request(req) {
    req.state.user = { id: 1, name: 'ann' }
  },
})
const timing = defineMiddleware(async (_req, next) => next())

describe('typed state', () => {
  it('StateOf merges what each middleware declares', () => {
    const middleware = [requestId, auth, timing] as const
    type State = StateOf<typeof middleware>
    expectTypeOf<State>().toEqualTypeOf<{ requestId: string; user: { id: number; name: string } }>()
    const view = (req: CycleRequest<State>) => req.state.user.name
    expectTypeOf(view).returns.toEqualTypeOf<string>()
  })

  it('createApp carries the state type', () => {
    const app = createApp({ middleware: [requestId, auth], urls: [] })
    expectTypeOf(app['~state']).toEqualTypeOf<{ requestId: string; user: { id: number; name: string } }>()
  })

  it('a middleware without declared state adds nothing', () => {
    type State = StateOf<[typeof timing]>
    expectTypeOf<State>().toEqualTypeOf<{}>()
  })
})
