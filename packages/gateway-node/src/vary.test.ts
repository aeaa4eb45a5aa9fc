/**
 * `Vary: Accept` on core's own error pages over a real socket, with no format middleware: a 404
 * and a 405 answered as problem+json to a JSON client and as HTML to a browser both say that the
 * representation depends on `Accept`, so a shared cache never hands one client the other's page.
 * After each, the server still answers a normal request.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { attack, GOOD_HOST, hostileApp } from './__fixtures__/hostile'
import { closeAll, start } from './__fixtures__/net'

afterEach(closeAll)

const request = (method: string, target: string, accept: string): string =>
  `${method} ${target} HTTP/1.1\r\nHost: ${GOOD_HOST}\r\nAccept: ${accept}\r\n\r\n`

describe("core's own error pages say Vary: Accept (raw bytes, real socket)", () => {
  it.each([
    ['GET', '/nowhere', 404],
    ['DELETE', '/x', 405],
  ])(
    '%s %s: %i as problem+json and as HTML, both with Vary: Accept',
    async (method, target, status) => {
      const server = await start(hostileApp().app)
      const asJson = await attack(server.port, request(method, target, 'application/json'))
      const asHtml = await attack(server.port, request(method, target, 'text/html'))
      expect([asJson.status, asHtml.status]).toEqual([status, status])
      expect(asJson.header('content-type')).toBe('application/problem+json')
      expect(asHtml.header('content-type')).toBe('text/html; charset=utf-8')
      for (const res of [asJson, asHtml]) expect(res.header('vary')).toMatch(/\bAccept\b/)
      if (status === 405) expect(asHtml.header('allow')).toMatch(/\bGET\b/)
    }
  )
})
