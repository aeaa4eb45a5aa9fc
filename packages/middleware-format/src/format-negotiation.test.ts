import { createApp, json, path, text, type HookMiddleware } from '@cycle/core'
import { describe, expect, it } from 'vitest'
import { format } from './format'
import type { FormatOptions } from './options'
import { raw } from './raw'

function appWith(options?: FormatOptions, before: HookMiddleware[] = []) {
  const calls: string[] = []
  const app = createApp({
    middleware: [format(options), ...before],
    urls: [
      path('notes/', () => [{ id: 1, title: '<b>Bold</b> & "quoted"' }], { methods: ['GET'] }),
      path(
        'notes/',
        () => {
          calls.push('created')
          return json({ id: 2 }, 201)
        },
        { methods: ['POST'] }
      ),
      path('nested/', () => ({
        user: { name: 'Ann', roles: ['admin', 'dev'] },
        note: 'line1\nline2',
        empty: [],
      })),
      path('file.csv', () => text('a,b\n1,2\n', { headers: { 'content-type': 'text/csv' } }), {
        middleware: [raw()],
      }),
    ],
  })
  return { app, calls }
}

const get = (app: ReturnType<typeof createApp>, url: string, accept?: string, init?: RequestInit) =>
  app.fetch(
    new Request(`http://localhost${url}`, {
      ...init,
      headers: accept === undefined ? init?.headers : { ...init?.headers, accept },
    })
  )

describe('content negotiation', () => {
  const { app } = appWith()

  it('JSON without Accept, for */* and for application/json', async () => {
    for (const accept of [undefined, '*/*', 'application/json', 'application/*']) {
      const res = await get(app, '/notes/', accept)
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    }
  })

  it('HTML for a browser, escaped, as a table of the rows', async () => {
    const res = await get(
      app,
      '/notes/',
      'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'
    )
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('vary')).toBe('Accept')
    const page = await res.text()
    expect(page.startsWith('<!doctype html>')).toBe(true)
    expect(page).toContain('<title>200 OK</title>')
    expect(page).toContain('<th>id</th><th>title</th>')
    expect(page).toContain('&lt;b&gt;Bold&lt;/b&gt; &amp; &quot;quoted&quot;')
    expect(page).not.toContain('<b>Bold</b>')
  })

  it('HTML escapes keys and the request path too', async () => {
    const res = await get(app, '/nested/?q=<x>', 'text/html')
    const page = await res.text()
    expect(page).toContain('<dt>user</dt>')
    expect(page).toContain('GET /nested/?q=%3Cx%3E')
    expect(page).not.toContain('<x>')
    expect(page).toContain('<ol><li>admin</li><li>dev</li></ol>')
    expect(page).toContain('<em>empty list</em>')
  })

  it('plain text as indented key: value lines', async () => {
    const res = await get(app, '/nested/', 'text/plain')
    expect(res.headers.get('content-type')).toBe('text/plain;charset=UTF-8')
    expect(await res.text()).toBe(
      [
        'data:',
        '  user:',
        '    name: Ann',
        '    roles:',
        '      - admin',
        '      - dev',
        '  note: line1',
        '    line2',
        '  empty: []',
        'meta: {}',
        '',
      ].join('\n')
    )
  })

  it('weights and specificity: text/* prefers HTML, text/html;q=0 then gives text', async () => {
    expect((await get(app, '/notes/', 'text/*')).headers.get('content-type')).toContain('text/html')
    expect(
      (await get(app, '/notes/', 'text/*, text/html;q=0')).headers.get('content-type')
    ).toContain('text/plain')
    expect(
      (await get(app, '/notes/', 'application/json;q=0.5, text/plain;q=0.9')).headers.get(
        'content-type'
      )
    ).toContain('text/plain')
  })

  it('errors negotiate too: problem+json, HTML left to core, text', async () => {
    const textRes = await get(app, '/missing/', 'text/plain')
    expect(textRes.status).toBe(404)
    expect(textRes.headers.get('content-type')).toBe('text/plain;charset=UTF-8')
    expect(await textRes.text()).toContain('title: Not Found\nstatus: 404\n')
    const jsonRes = await get(app, '/missing/', 'application/json')
    expect(jsonRes.headers.get('content-type')).toBe('application/problem+json')
  })

  it('non-strict: nothing acceptable still answers JSON (Accept may be ignored)', async () => {
    const res = await get(app, '/notes/', 'image/png')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
  })

  it('survives hostile Accept headers', async () => {
    for (const accept of [
      ';'.repeat(10_000),
      'text/html;q=' + '9'.repeat(5000),
      Array.from({ length: 2000 }, (_, i) => `a/b${i};q=0.${i % 10}`).join(','),
      '"""'.repeat(1000),
      '*/*;q=0',
    ]) {
      const res = await get(app, '/notes/', accept)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    }
  })

  it('representations limits the offers', async () => {
    const { app: jsonOnly } = appWith({ representations: ['json'] })
    const res = await get(jsonOnly, '/notes/', 'text/html;q=1, application/json;q=0.1')
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
  })
})

describe('strict negotiation', () => {
  it('answers 406 problem before the view runs, so a refused POST has no side effect', async () => {
    const { app, calls } = appWith({ strict: true })
    const res = await get(app, '/notes/', 'image/png', { method: 'POST' })
    expect(res.status).toBe(406)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(res.headers.get('vary')).toBe('Accept')
    expect(await res.json()).toEqual({
      type: 'about:blank',
      title: 'Not Acceptable',
      status: 406,
      detail:
        'None of the available representations is acceptable: application/json, text/html, text/plain.',
    })
    expect(calls).toEqual([])
  })

  it('q=0 on everything is refused; acceptable requests pass', async () => {
    const { app, calls } = appWith({ strict: true })
    expect((await get(app, '/notes/', '*/*;q=0')).status).toBe(406)
    expect(
      (await get(app, '/notes/', 'application/json;q=0, text/plain;q=0, text/html;q=0')).status
    ).toBe(406)
    expect((await get(app, '/notes/', 'application/json', { method: 'POST' })).status).toBe(201)
    expect((await get(app, '/notes/')).status).toBe(200)
    expect(calls).toEqual(['created'])
  })

  it('404 stays 404 for an unacceptable Accept (the route is checked first)', async () => {
    const { app } = appWith({ strict: true })
    const res = await get(app, '/missing/', 'image/png')
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
  })

  it('raw routes are exempt', async () => {
    const { app } = appWith({ strict: true })
    const res = await get(app, '/file.csv', 'text/csv')
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('a,b\n1,2\n')
  })

  it('a response made before the view (by another middleware) is refused at the end', async () => {
    const cache: HookMiddleware = { name: 'cache', request: () => json({ cached: true }) }
    const { app } = appWith({ strict: true }, [cache])
    const res = await get(app, '/notes/', 'image/png')
    expect(res.status).toBe(406)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
  })
})
