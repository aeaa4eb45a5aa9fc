/**
 * Property tests of origin matching: whatever a client puts in `Origin`, a list policy sends
 * back a listed origin or nothing, and only for the listed origin itself (case aside).
 */
import { createApp, path, text } from '@cycle/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { cors } from './cors'

const LISTED = 'https://example.com'

const app = createApp({
  middleware: [
    cors({ origin: [LISTED, /^https:\/\/[a-z0-9-]+\.example\.org$/], credentials: true }),
  ],
  urls: [path('', () => text('ok'))],
})

/** Origins near the listed one: the bypass shapes, combined at random. */
const nearby = fc
  .tuple(
    fc.constantFrom('https://', 'http://', 'HTTPS://', 'https:/', '', 'https://user@'),
    fc.constantFrom('', 'evil-', 'evil.', 'sub.', 'x'),
    fc.constantFrom('example.com', 'EXAMPLE.com', 'example.org', 'a.example.org', 'examplexcom'),
    fc.constantFrom('', '.evil.net', '-evil.com', ':443', ':8443', '/', '/x', '?', '#', ' ', '%2F'),
    fc.constantFrom('', '/', '.evil.net')
  )
  .map((parts) => parts.join(''))

/** Header-safe arbitrary strings (a gateway refuses CR/LF/NUL before the app sees them). */
const anything = fc.string({
  unit: fc.constantFrom(...'htps:/.-_exampl@com%?#0123456789AZ'.split('')),
})

describe('origin matching (property)', () => {
  it('sends back only a listed origin, and only to itself or a well-formed pattern match', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(nearby, anything), async (origin) => {
        const res = await app.fetch(new Request('http://localhost/', { headers: { origin } }))
        const acao = res.headers.get('access-control-allow-origin')
        // Headers trims the value, as every HTTP parser does.
        const sent = origin.trim()
        expect(res.headers.get('vary')).toBe('Origin')
        if (acao === null) {
          expect(res.headers.get('access-control-allow-credentials')).toBeNull()
          return
        }
        expect(res.headers.get('access-control-allow-credentials')).toBe('true')
        if (acao === LISTED) {
          expect(sent.toLowerCase()).toBe(LISTED)
        } else {
          expect(acao).toBe(sent)
          expect(sent).toMatch(/^https:\/\/[a-z0-9-]+\.example\.org$/)
        }
      }),
      { numRuns: 500 }
    )
  })
})
