import { runInNewContext } from 'node:vm'
import { beforeAll, describe, expect, it } from 'vitest'
import { Client, testSettings } from '../../test/helpers'
import { createDemoApp, seedDemoUser, type Demo, type InspectorHello } from '../app'
import { MemoryStore } from '../store/memory'
import { MODEL_SCRIPT } from './client-model'
import type { TracedRequest } from './feed'

// The page's layout code, run in Node on real traces from the app: each trace entry is placed
// exactly once, and the turn lands where the request turned back.
interface ModelNode {
  group: string
  name: string
  state: string
  traceIndex: number | null
}
interface Model {
  top: ModelNode[]
  bottom: ModelNode[]
  turn: number
  reason: string
}
const cycleModel = runInNewContext(`${MODEL_SCRIPT}; cycleModel`) as (
  h: InspectorHello,
  e: TracedRequest
) => Model

let demo: Demo
let client: Client

beforeAll(async () => {
  demo = createDemoApp({ settings: testSettings(), store: new MemoryStore(), gateway: 'test' })
  await seedDemoUser(demo.store, demo.settings)
  client = new Client('http://localhost', (r) => demo.app.fetch(r))
  await client.login()
})

async function modelOf(method: string, path: string, options: Parameters<Client['send']>[2] = {}) {
  const res = await client.send(method, path, options)
  const event = demo.feed.recent().at(-1) as TracedRequest
  expect(event.id).toBe(res.headers.get('x-request-id'))
  const model = cycleModel(demo.hello(), event)
  // Every trace entry is drawn exactly once.
  const indexes = [...model.top, ...model.bottom].map((n) => n.traceIndex).filter((i) => i !== null)
  expect(indexes.sort((a, b) => (a as number) - (b as number))).toEqual(
    event.trace.map((_, i) => i)
  )
  return { model, event, turned: model.top[model.turn] as ModelNode }
}

describe('cycleModel()', () => {
  it('draws a full cycle to the view for a 201', async () => {
    const { model, turned } = await modelOf('POST', '/api/notes', {
      body: { title: 't', body: '' },
    })
    expect(turned).toMatchObject({ group: 'view', name: 'api:note-create', state: 'ran' })
    expect(model.top.map((n) => `${n.group}:${n.name}`)).toEqual([
      'gateway:in',
      'request:observe',
      'request:requestIdMeta',
      'request:securityHeaders',
      'request:cors',
      'request:csrf',
      'request:authenticate',
      'resolve:api/notes',
      'view-mw:requireAuth',
      'view-mw:validate',
      'view:api:note-create',
    ])
    expect(model.top.map((n) => n.group)).toEqual([
      'gateway',
      'request',
      'request',
      'request',
      'request',
      'request',
      'request',
      'resolve',
      'view-mw',
      'view-mw',
      'view',
    ])
    expect(model.bottom.map((n) => `${n.group}:${n.name}:${n.state}`)).toEqual([
      'render:format:ran',
      'response:conditional:ran',
      'response:compress:ran',
      'response:cors:ran',
      'response:securityHeaders:ran',
      'response:observe:ran',
      'gateway:out:gateway',
    ])
  })

  it('turns back at authentication for a bad token, format (listed before it) still renders', async () => {
    const { model, turned } = await modelOf('GET', '/api/me', { token: 'bad' })
    expect(turned).toMatchObject({ group: 'request', name: 'authenticate', state: 'turned' })
    expect(model.top.slice(7).map((n) => n.state)).toEqual(['skipped', 'skipped'])
    // Only middlewares that ran see the answer (Django's rule): format is listed before
    // authenticate, so it ran and renders core's 401 problem.
    expect(model.bottom.find((n) => n.name === 'format')?.state).toBe('ran')
    expect(model.bottom.find((n) => n.name === 'format')?.group).toBe('render')
    expect(model.bottom.map((n) => n.group)).toContain('core')
  })

  it('turns back at the guard without a token, at resolution for an unknown path', async () => {
    expect((await modelOf('GET', '/api/me', { token: null })).turned).toMatchObject({
      name: 'requireAuth',
      state: 'turned',
    })
    const miss = await modelOf('GET', '/api/nowhere')
    expect(miss.turned).toMatchObject({ group: 'resolve', state: 'turned' })
    expect(miss.model.reason).toBe('no route matched')
  })

  it('turns back at resolution for a 405, at validation for a 422, at the view for a 404 and a 500', async () => {
    const put = await modelOf('PUT', '/api/notes/00000000-0000-4000-8000-000000000000')
    expect(put.turned.group).toBe('resolve')
    expect(put.model.reason).toBe('method not allowed')
    expect((await modelOf('POST', '/api/notes', { body: { title: '' } })).turned.name).toBe(
      'validate'
    )
    expect(
      (await modelOf('GET', '/api/notes/00000000-0000-4000-8000-000000000000')).turned.name
    ).toBe('api:note')
    const boom = await modelOf('GET', '/api/debug/boom')
    expect(boom.turned).toMatchObject({ name: 'api:boom', state: 'turned' })
    // No middleware has an exception hook (observe learns errors from app events): core's 500.
    expect(boom.model.bottom.find((n) => n.group === 'exception')).toBeUndefined()
    expect(boom.model.bottom.map((n) => n.group)).toContain('core')
  })

  it('copes with an unknown stack (no hello) and an empty trace', () => {
    const event = {
      method: 'GET',
      target: '/',
      status: 400,
      route: null,
      view: null,
      trace: [],
      total: 0,
      problem: null,
    }
    const model = cycleModel(null as unknown as InspectorHello, event as unknown as TracedRequest)
    expect(model.top.map((n) => n.group)).toEqual(['gateway', 'resolve', 'view'])
    expect(model.reason).toBe('refused at the gateway')
  })
})
