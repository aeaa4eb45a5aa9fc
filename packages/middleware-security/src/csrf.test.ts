/**
 * csrf() through `app.fetch`: the decision table, the known bypasses (each a refusal), the token
 * mode, and the options checks.
 */
import { createApp, html, path, type CycleRequest } from '@cycle/core'
import { describe, expect, it } from 'vitest'
import { csrf, csrfToken, type CsrfOptions } from './csrf'
import { securityHeaders } from './headers'

const SECRET = 'csrf-secret-0123456789-0123456789-abc'

function appWith(options?: CsrfOptions) {
  return createApp({
    middleware: [securityHeaders(), csrf(options)],
    urls: [
      path('notes/', () => ({ ok: true }), { methods: '*' }),
      path(
        'form/',
        async (req) => html(`<input name="csrfmiddlewaretoken" value="${await csrfToken(req)}">`),
        {
          methods: ['GET'],
        }
      ),
      path('twice/', async (req) => {
        const [a, b] = await Promise.all([csrfToken(req), csrfToken(req)])
        return { same: a === b, again: (await csrfToken(req)) === a }
      }),
    ],
  })
}

async function send(
  app: ReturnType<typeof appWith>,
  method: string,
  headers: Record<string, string> = {},
  init: { url?: string; body?: BodyInit } = {}
) {
  const res = await app.fetch(
    new Request(init.url ?? 'https://example.com/notes/', {
      method,
      headers,
      body: init.body ?? null,
    })
  )
  const body = (await res.json().catch(() => null)) as { detail?: string; status?: number } | null
  return { status: res.status, detail: body?.detail ?? '', res }
}

const COOKIE = { cookie: 'sessionid=abc' }

describe('csrf(): what passes', () => {
  const app = appWith()

  it.each(['GET', 'HEAD', 'OPTIONS'])('%s from anywhere (a safe method)', async (method) => {
    const r = await send(app, method, {
      ...COOKIE,
      origin: 'https://evil.net',
      'sec-fetch-site': 'cross-site',
    })
    expect(r.status).toBe(200) // the view answers every method, OPTIONS included
  })

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])(
    '%s with Sec-Fetch-Site: same-origin',
    async (method) => {
      const r = await send(app, method, { ...COOKIE, 'sec-fetch-site': 'same-origin' })
      expect(r.status).toBe(200)
    }
  )

  it('Sec-Fetch-Site: none (a user-initiated navigation)', async () => {
    expect((await send(app, 'POST', { ...COOKIE, 'sec-fetch-site': 'none' })).status).toBe(200)
  })

  it('Origin equal to the request’s own origin, default port dropped, case-insensitive host', async () => {
    expect((await send(app, 'POST', { ...COOKIE, origin: 'https://example.com' })).status).toBe(200)
    const explicitPort = await send(
      app,
      'POST',
      { ...COOKIE, origin: 'https://example.com' },
      { url: 'https://EXAMPLE.com:443/notes/' }
    )
    expect(explicitPort.status).toBe(200)
    const http8080 = await send(
      app,
      'POST',
      { ...COOKIE, origin: 'http://example.com:8080' },
      { url: 'http://example.com:8080/notes/' }
    )
    expect(http8080.status).toBe(200)
  })

  it('a trusted origin, exact or by subdomain pattern', async () => {
    const trusting = appWith({
      trustedOrigins: ['https://admin.example.org', 'https://*.example.net'],
    })
    expect(
      (await send(trusting, 'POST', { ...COOKIE, origin: 'https://admin.example.org' })).status
    ).toBe(200)
    expect(
      (await send(trusting, 'POST', { ...COOKIE, origin: 'https://a.b.example.net' })).status
    ).toBe(200)
    expect(
      (
        await send(trusting, 'POST', {
          ...COOKIE,
          origin: 'https://admin.example.org',
          'sec-fetch-site': 'cross-site',
        })
      ).status
    ).toBe(200)
    // the pattern does not cover the apex, another scheme or a look-alike
    for (const origin of [
      'https://example.net',
      'http://a.example.net',
      'https://a.example.net.evil.com',
      'https://aexample.net',
    ]) {
      expect((await send(trusting, 'POST', { ...COOKIE, origin })).status).toBe(403)
    }
  })

  it('Sec-Fetch-Site: same-site only with allowSameSite', async () => {
    expect(
      (
        await send(app, 'POST', {
          ...COOKIE,
          'sec-fetch-site': 'same-site',
          origin: 'https://a.example.com',
        })
      ).status
    ).toBe(403)
    const lenient = appWith({ allowSameSite: true })
    expect(
      (
        await send(lenient, 'POST', {
          ...COOKIE,
          'sec-fetch-site': 'same-site',
          origin: 'https://a.example.com',
        })
      ).status
    ).toBe(200)
  })

  it('a request with neither header and no cookie (a non-browser client), unless strict', async () => {
    expect((await send(app, 'POST', { authorization: 'Bearer x' })).status).toBe(200)
    const r = await send(appWith({ strict: true }), 'POST', { authorization: 'Bearer x' })
    expect(r.status).toBe(403)
    expect(r.detail).toMatch(/neither|Sec-Fetch-Site or Origin/)
  })

  it('an exempt request', async () => {
    const exempting = appWith({ exempt: (req: CycleRequest) => req.path === '/notes/' })
    expect((await send(exempting, 'POST', { ...COOKIE, origin: 'https://evil.net' })).status).toBe(
      200
    )
  })
})

describe('csrf(): known bypasses, each refused with a 403 problem', () => {
  const app = appWith()

  it('missing Origin and missing Sec-Fetch-Site on a cookie-carrying unsafe request', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const r = await send(app, method, COOKIE)
      expect(r.status).toBe(403)
      expect(r.res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      expect(r.detail).toBe(
        'CSRF: an unsafe request with cookies must carry Sec-Fetch-Site or Origin (every current browser sends them).'
      )
      // the security headers are on the refusal too
      expect(r.res.headers.get('x-content-type-options')).toBe('nosniff')
    }
  })

  it('Origin: null', async () => {
    const r = await send(app, 'POST', { ...COOKIE, origin: 'null' })
    expect(r.status).toBe(403)
    expect(r.detail).toMatch(/Origin is "null"/)
    expect((await send(app, 'POST', { origin: 'null' })).status).toBe(403) // cookies or not
  })

  it('a subdomain origin', async () => {
    const r = await send(app, 'POST', { ...COOKIE, origin: 'https://evil.example.com' })
    expect(r.status).toBe(403)
    expect(r.detail).toBe(
      'CSRF: Origin "https://evil.example.com" does not match "https://example.com" or a trusted origin.'
    )
  })

  it('a look-alike origin', async () => {
    for (const origin of [
      'https://example.com.evil.net',
      'https://example.comevil.net',
      'https://evilexample.com',
    ]) {
      expect((await send(app, 'POST', { ...COOKIE, origin })).status).toBe(403)
    }
  })

  it('the same host over another scheme or port', async () => {
    expect((await send(app, 'POST', { ...COOKIE, origin: 'http://example.com' })).status).toBe(403)
    expect(
      (await send(app, 'POST', { ...COOKIE, origin: 'https://example.com:8443' })).status
    ).toBe(403)
  })

  it('Sec-Fetch-Site: cross-site, whatever Origin claims', async () => {
    const r = await send(app, 'POST', {
      ...COOKIE,
      'sec-fetch-site': 'cross-site',
      origin: 'https://example.com',
    })
    expect(r.status).toBe(403)
    expect(r.detail).toBe(
      'CSRF: Sec-Fetch-Site is "cross-site" and Origin "https://example.com" is not trusted.'
    )
    expect((await send(app, 'POST', { 'sec-fetch-site': 'cross-site' })).detail).toMatch(
      /no Origin was sent/
    )
  })

  it('a form content type carrying a JSON body from a cross-site origin', async () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const body = '{"title":"pwned"}'
      const viaOrigin = await send(
        app,
        'POST',
        { ...COOKIE, 'content-type': type, origin: 'https://evil.net' },
        { body }
      )
      expect(viaOrigin.status).toBe(403)
      const viaSite = await send(
        app,
        'POST',
        {
          ...COOKIE,
          'content-type': type,
          origin: 'https://evil.net',
          'sec-fetch-site': 'cross-site',
        },
        { body }
      )
      expect(viaSite.status).toBe(403)
    }
  })

  it('a cross-site POST without Content-Type, or with one spelled in capitals (the content type plays no part)', async () => {
    const cross = { ...COOKIE, origin: 'https://evil.net' }
    const bare = await send(app, 'POST', cross, {
      body: new TextEncoder().encode('{"title":"pwned"}'),
    })
    expect(bare.res.status).toBe(403) // bytes: no Content-Type at all
    for (const type of ['Text/Plain', 'APPLICATION/X-WWW-FORM-URLENCODED', 'application/json']) {
      expect(
        (await send(app, 'POST', { ...cross, 'content-type': type }, { body: '{}' })).status
      ).toBe(403)
    }
  })

  it('a method override: judged on the real method, and an override to an unsafe method makes a GET unsafe', async () => {
    const cross = { ...COOKIE, origin: 'https://evil.net', 'sec-fetch-site': 'cross-site' }
    // POST overridden to DELETE, or to GET: still a cross-site POST
    expect((await send(app, 'POST', { ...cross, 'x-http-method-override': 'DELETE' })).status).toBe(
      403
    )
    expect((await send(app, 'POST', { ...cross, 'x-http-method-override': 'GET' })).status).toBe(
      403
    )
    expect(
      (await send(app, 'POST', cross, { url: 'https://example.com/notes/?_method=GET' })).status
    ).toBe(403)
    // GET carrying an override naming an unsafe method is judged as unsafe
    expect((await send(app, 'GET', { ...cross, 'x-http-method-override': 'DELETE' })).status).toBe(
      403
    )
    expect((await send(app, 'GET', { ...cross, 'x-http-method': 'PUT' })).status).toBe(403)
    expect((await send(app, 'GET', { ...cross, 'x-method-override': 'PATCH' })).status).toBe(403)
    expect(
      (await send(app, 'GET', cross, { url: 'https://example.com/notes/?_method=DELETE' })).status
    ).toBe(403)
    expect(
      (await send(app, 'GET', cross, { url: 'https://example.com/notes/?a=1&_method=delete' }))
        .status
    ).toBe(403)
    // … and passes when it comes from the site itself
    expect(
      (
        await send(
          app,
          'GET',
          { ...COOKIE, 'sec-fetch-site': 'same-origin' },
          { url: 'https://example.com/notes/?_method=DELETE' }
        )
      ).status
    ).toBe(200)
    // an override naming a safe method changes nothing for a GET
    expect((await send(app, 'GET', { ...cross, 'x-http-method-override': 'HEAD' })).status).toBe(
      200
    )
  })

  it('an unknown Sec-Fetch-Site value', async () => {
    expect(
      (await send(app, 'POST', { ...COOKIE, 'sec-fetch-site': 'same-origin, none' })).status
    ).toBe(403)
  })
})

describe('csrf(): own origin behind the gateway’s scheme', () => {
  it('compares with http:// when the request is plain HTTP', async () => {
    const app = appWith()
    expect(
      (
        await send(
          app,
          'POST',
          { ...COOKIE, origin: 'http://example.com' },
          { url: 'http://example.com/notes/' }
        )
      ).status
    ).toBe(200)
    expect(
      (
        await send(
          app,
          'POST',
          { ...COOKIE, origin: 'https://example.com' },
          { url: 'http://example.com/notes/' }
        )
      ).status
    ).toBe(403)
  })
})

describe('csrf({ token })', () => {
  const app = appWith({ token: { secret: SECRET } })

  async function issue(target = app) {
    const res = await target.fetch(new Request('https://example.com/form/'))
    const body = await res.text()
    const token = /value="([^"]+)"/.exec(body)?.[1] as string
    return { res, token }
  }

  it('issues a signed token as a cookie and to the template, with Vary: Cookie', async () => {
    const { res, token } = await issue()
    expect(token).toMatch(/^[A-Za-z0-9_-]{24}\.[A-Za-z0-9_-]{43}$/)
    expect(res.headers.getSetCookie()).toEqual([
      `csrftoken=${token}; Max-Age=31449600; Path=/; Secure; SameSite=Lax`,
    ])
    expect(res.headers.get('vary')).toBe('Cookie')
  })

  it('keeps a valid cookie’s token instead of issuing another', async () => {
    const { token } = await issue()
    const res = await app.fetch(
      new Request('https://example.com/form/', { headers: { cookie: `csrftoken=${token}` } })
    )
    expect(await res.text()).toContain(token)
    expect(res.headers.getSetCookie()).toEqual([])
  })

  it('shares one token between concurrent calls in a request', async () => {
    const res = await app.fetch(new Request('https://example.com/twice/'))
    expect(await res.json()).toEqual({ same: true, again: true })
    expect(res.headers.getSetCookie()).toHaveLength(1)
  })

  it('no Secure attribute on a plain-HTTP answer unless asked', async () => {
    const res = await app.fetch(new Request('http://example.com/form/'))
    expect(res.headers.getSetCookie()[0]).not.toMatch(/Secure/)
    const secureApp = appWith({
      token: { secret: SECRET, cookie: { secure: true, httpOnly: true } },
    })
    const r2 = await secureApp.fetch(new Request('http://example.com/form/'))
    expect(r2.headers.getSetCookie()[0]).toMatch(/; Secure; HttpOnly; SameSite=Lax$/)
  })

  it('accepts the token in the header or the form field when neither browser header is sent', async () => {
    const { token } = await issue()
    const cookie = `sessionid=abc; csrftoken=${token}`
    expect((await send(app, 'POST', { cookie, 'x-csrftoken': token })).status).toBe(200)
    const form = await send(
      app,
      'POST',
      { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      { body: `title=hi&csrfmiddlewaretoken=${encodeURIComponent(token)}` }
    )
    expect(form.status).toBe(200)
    const fd = new FormData()
    fd.set('csrfmiddlewaretoken', token)
    const multipart = await app.fetch(
      new Request('https://example.com/notes/', { method: 'POST', headers: { cookie }, body: fd })
    )
    expect(multipart.status).toBe(200)
  })

  it('refuses a missing, wrong, forged or foreign token', async () => {
    const { token } = await issue()
    const noCookie = await send(app, 'POST', { cookie: 'sessionid=abc', 'x-csrftoken': token })
    expect(noCookie.status).toBe(403)
    expect(noCookie.detail).toMatch(/no csrftoken cookie/)
    const noToken = await send(app, 'POST', { cookie: `csrftoken=${token}` })
    expect(noToken.status).toBe(403)
    expect(noToken.detail).toMatch(
      /no token in the x-csrftoken header or the csrfmiddlewaretoken field/
    )
    const mismatch = await send(app, 'POST', {
      cookie: `csrftoken=${token}`,
      'x-csrftoken': `${token.slice(0, -1)}A`,
    })
    expect(mismatch.detail).toBe('CSRF: the token sent does not match the cookie.')
    // an attacker able to plant a cookie (a sibling subdomain) but not to sign
    const forged = `${'A'.repeat(24)}.${'B'.repeat(43)}`
    const planted = await send(app, 'POST', {
      cookie: `csrftoken=${forged}`,
      'x-csrftoken': forged,
    })
    expect(planted.status).toBe(403)
    expect(planted.detail).toMatch(/not one this server issued/)
    const junk = await send(app, 'POST', { cookie: 'csrftoken=junk', 'x-csrftoken': 'junk' })
    expect(junk.status).toBe(403)
    // a token signed with another secret
    const other = appWith({ token: { secret: `${SECRET}-other` } })
    const { token: foreign } = await issue(other)
    expect(
      (await send(app, 'POST', { cookie: `csrftoken=${foreign}`, 'x-csrftoken': foreign })).status
    ).toBe(403)
  })

  it('binds a token to the session when asked', async () => {
    const bound = appWith({ token: { secret: SECRET, binding: (req) => req.cookies['sessionid'] } })
    const res = await bound.fetch(
      new Request('https://example.com/form/', { headers: { cookie: 'sessionid=alice' } })
    )
    const token = /value="([^"]+)"/.exec(await res.text())?.[1] as string
    expect(
      (
        await send(bound, 'POST', {
          cookie: `sessionid=alice; csrftoken=${token}`,
          'x-csrftoken': token,
        })
      ).status
    ).toBe(200)
    const stolen = await send(bound, 'POST', {
      cookie: `sessionid=mallory; csrftoken=${token}`,
      'x-csrftoken': token,
    })
    expect(stolen.status).toBe(403)
    // a cookie issued for another session is replaced on the next page
    const again = await bound.fetch(
      new Request('https://example.com/form/', {
        headers: { cookie: `sessionid=mallory; csrftoken=${token}` },
      })
    )
    expect(again.headers.getSetCookie()).toHaveLength(1)
  })

  it('a valid token never rescues a cross-site request', async () => {
    const { token } = await issue()
    const r = await send(app, 'POST', {
      cookie: `csrftoken=${token}`,
      'x-csrftoken': token,
      origin: 'https://evil.net',
    })
    expect(r.status).toBe(403)
  })

  it('csrfToken() without csrf({ token }) is a configuration error', async () => {
    const plain = createApp({
      middleware: [csrf()],
      urls: [path('', async (req) => ({ t: await csrfToken(req) }))],
    })
    const res = await plain.fetch(new Request('https://example.com/'))
    expect(res.status).toBe(500)
  })
})

describe('csrf() options', () => {
  it.each<[unknown, RegExp]>([
    ['x', /options must be an object/],
    [{ trusted: [] }, /unknown option "trusted"/],
    [{ trustedOrigins: 'https://a.example' }, /list of origins/],
    [{ trustedOrigins: ['null'] }, /every page/],
    [{ trustedOrigins: ['*'] }, /every page/],
    [{ trustedOrigins: ['https://a.example/'] }, /no path or trailing slash/],
    [{ trustedOrigins: ['https://a.example/path'] }, /not an origin/],
    [{ trustedOrigins: ['a.example'] }, /not an origin/],
    [{ trustedOrigins: ['https://A.example'] }, /lower case/],
    [{ trustedOrigins: ['https://a.example:443'] }, /not an origin/],
    [{ trustedOrigins: ['ftp://a.example'] }, /not an origin/],
    [{ trustedOrigins: ['https://user@a.example'] }, /not an origin/],
    [{ allowSameSite: 'yes' }, /allowSameSite/],
    [{ strict: 1 }, /strict/],
    [{ exempt: /x/ }, /exempt/],
    [{ token: { secret: 'short' } }, /at least 32/],
    [{ token: { secret: SECRET, cookieName: 'a b' } }, /cookieName/],
    [{ token: { secret: SECRET, headerName: 'x:y' } }, /headerName/],
    [{ token: { secret: SECRET, formField: '' } }, /formField/],
    [{ token: { secret: SECRET, sessionKey: 'x' } }, /unknown option "sessionKey"/],
    [
      {
        token: {
          secret: SECRET,
          cookieName: '__Host-csrftoken',
          cookie: { domain: 'example.com' },
        },
      },
      /__Host-/,
    ],
  ])('refuses %j at creation with ERR_BAD_OPTION', (options, message) => {
    let caught: unknown
    try {
      csrf(options as CsrfOptions)
    } catch (error) {
      caught = error
    }
    expect((caught as Error).message).toMatch(message)
    expect((caught as { code: string }).code).toBe('ERR_BAD_OPTION')
  })
})
