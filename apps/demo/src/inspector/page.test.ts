import { Script } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { testSettings } from '../../test/helpers'
import { createDemoApp } from '../app'
import { MemoryStore } from '../store/memory'
import { inspectorPage } from './page'

describe('the inspector page', () => {
  it('is served with a fresh CSP nonce that its inline style and script carry', async () => {
    const { app } = createDemoApp({
      settings: testSettings(),
      store: new MemoryStore(),
      gateway: 'test',
    })
    const nonces: string[] = []
    for (let i = 0; i < 2; i++) {
      const res = await app.fetch(new Request('http://localhost/'))
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
      const csp = res.headers.get('content-security-policy') as string
      // The policy comes from securityHeaders() in the stack, the nonce from request.state.
      const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(csp)?.[1] as string
      expect(csp).toContain(`style-src 'self' 'nonce-${nonce}'`)
      expect(csp).toContain("default-src 'none'")
      expect(csp).toContain("connect-src 'self'")
      expect(csp).toContain("frame-ancestors 'none'")
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('x-frame-options')).toBe('DENY')
      expect(res.headers.get('cache-control')).toBe('no-store')
      expect(res.headers.get('etag')).toBeNull() // no-store: conditional() does not tag it
      const page = await res.text()
      expect(page).toContain(`<script nonce="${nonce}">`)
      expect(page).toContain(`<style nonce="${nonce}">`)
      nonces.push(nonce)
    }
    expect(nonces[0]).not.toBe(nonces[1])
  })

  it('holds JavaScript that parses, defining the model, the drawing and the app', () => {
    const page = inspectorPage('n')
    const source = /<script nonce="n">([\s\S]*)<\/script>/.exec(page)?.[1] as string
    expect(() => new Script(source)).not.toThrow()
    expect(source).toMatch(/function cycleModel\(/)
    expect(source).toMatch(/function drawCycle\(/)
    expect(source).toContain("new EventSource('/inspector/events')")
    // Data from requests is only ever set as text, never parsed as markup.
    expect(source).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/)
  })
})
