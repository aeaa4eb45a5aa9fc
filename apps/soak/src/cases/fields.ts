/**
 * @module
 * Hostile header sections: huge ones, duplicated security fields, bytes a field may not carry, and
 * slowloris (a header section, or a body, that never finishes; a response never read).
 */
import type { Step } from '../raw'
import { one, postJson, raw, type HostileClass } from './types'

const many = (n: number, field: (i: number) => readonly [string, string]) =>
  Array.from({ length: n }, (_, i) => field(i))

export const hugeHeaders: HostileClass = {
  name: 'huge-headers',
  cases: [
    one(
      'huge-headers/one-field',
      (c) => raw(c, 'GET', '/', { headers: [['X-Big', 'b'.repeat(20_000)]] }),
      {
        expect: [431],
      }
    ),
    // 900 fields of 21 bytes: 18.9 KB of header section under a 16 KiB limit (RFC 9112 §5).
    one(
      'huge-headers/many-small-fields',
      (c) =>
        raw(c, 'GET', '/', {
          headers: many(900, (i) => [`X-${String(i).padStart(9, '0')}`, 'bbbbbbb']),
        }),
      { expect: [431] }
    ),
    one(
      'huge-headers/cookie-under-limit',
      (c) =>
        raw(c, 'GET', '/', {
          headers: [
            [
              'Cookie',
              many(1200, (i) => [`c${i}`, 'v'])
                .map(([k, v]) => `${k}=${v}`)
                .join('; '),
            ],
          ],
        }),
      {
        expect: [200],
      }
    ),
    one(
      'huge-headers/name-only',
      (c) => raw(c, 'GET', '/', { headers: [[`X-${'n'.repeat(17_000)}`, 'v']] }),
      {
        expect: [431],
      }
    ),
  ],
}

export const duplicateFields: HostileClass = {
  name: 'duplicate-fields',
  cases: [
    one(
      'duplicate-fields/two-authorization',
      (c) =>
        raw(c, 'GET', '/me/', {
          headers: [
            ['Authorization', `Bearer ${c.token}`],
            ['Authorization', 'Bearer forged'],
          ],
        }),
      { expect: [400] }
    ),
    // Refused even when both say the same thing: a repeated security field is never merged.
    one(
      'duplicate-fields/two-authorization-same',
      (c) =>
        raw(c, 'GET', '/me/', {
          headers: [
            ['Authorization', `Bearer ${c.token}`],
            ['authorization', `Bearer ${c.token}`],
          ],
        }),
      { expect: [400] }
    ),
    one(
      'duplicate-fields/two-content-type',
      (c) =>
        raw(c, 'POST', '/echo/', {
          headers: [
            ['Content-Type', 'application/json'],
            ['Content-Type', 'text/plain'],
          ],
          body: '{"a":1}',
        }),
      { expect: [400] }
    ),
    one(
      'duplicate-fields/two-host-same',
      (c) => raw(c, 'GET', '/', { headers: [['Host', c.host]] }),
      { expect: [400] }
    ),
    one(
      'duplicate-fields/two-content-length',
      (c) =>
        raw(c, 'POST', '/echo/', {
          headers: [
            ['Content-Type', 'application/json'],
            ['Content-Length', '7'],
            ['Content-Length', '8'],
          ],
          body: '{"a":1}',
        }),
      { expect: [400] }
    ),
    one(
      'duplicate-fields/content-length-and-chunked',
      (c) =>
        raw(c, 'POST', '/echo/', {
          headers: [
            ['Content-Type', 'application/json'],
            ['Content-Length', '3'],
            ['Transfer-Encoding', 'chunked'],
          ],
          body: '7\r\n{"a":1}\r\n0\r\n\r\n',
        }),
      { expect: [400] }
    ),
    one(
      'duplicate-fields/chunked-then-identity',
      (c) =>
        raw(c, 'POST', '/echo/', {
          headers: [
            ['Content-Type', 'application/json'],
            ['Transfer-Encoding', 'chunked, identity'],
          ],
          body: '7\r\n{"a":1}\r\n0\r\n\r\n',
        }),
      { expect: [400] }
    ),
    one('duplicate-fields/obs-fold', (c) => raw(c, 'GET', '/', { headers: [['X-A', 'a\r\n b']] }), {
      expect: [400],
    }),
    one(
      'duplicate-fields/bare-cr-in-value',
      (c) => raw(c, 'GET', '/', { headers: [['X-A', 'a\rb']] }),
      {
        expect: [400],
      }
    ),
    one(
      'duplicate-fields/space-before-colon',
      (c) => `GET / HTTP/1.1\r\nHost : ${c.host}\r\n\r\n`,
      {
        expect: [400],
      }
    ),
    one(
      'duplicate-fields/json-with-charset',
      (c) => postJson(c, '{"a":1}', 'application/json; charset=utf-8'),
      {
        expect: [200],
      }
    ),
  ],
}

/** A header section sent one field every 250 ms, never finished. */
function trickleHeaders(host: string): Step[] {
  const steps: Step[] = [`GET / HTTP/1.1\r\nHost: ${host}\r\n`]
  for (let i = 0; i < 40; i++) steps.push(250, `X-Drip-${i}: a\r\n`)
  return steps
}

/** A body declared as 1000 bytes, sent one byte every 250 ms. */
function trickleBody(host: string): Step[] {
  const head = `POST /echo/ HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[`
  const steps: Step[] = [head]
  for (let i = 0; i < 40; i++) steps.push(250, '1')
  return steps
}

export const slowloris: HostileClass = {
  name: 'slowloris',
  cases: [
    // Cut by the header timeout (2 s in the soak) with a 408.
    {
      name: 'slowloris/headers',
      exchange: (c) => ({ send: trickleHeaders(c.host), timeoutMs: 9_000 }),
      expect: [408],
      slow: true,
    },
    // Cut by the request timeout (5 s in the soak) with a 408.
    {
      name: 'slowloris/body',
      exchange: (c) => ({ send: trickleBody(c.host), timeoutMs: 12_000 }),
      expect: [408],
      slow: true,
    },
    // Reads the status line of a 16 MiB stream, then nothing: cut by the send timeout (2 s in
    // the soak), between 1 and 1.5 times it after the queue stopped moving. The client reads
    // again after twice the timeout and must find the answer cut short, not finished.
    {
      name: 'slowloris/stops-reading',
      exchange: (c) => ({
        send: [raw(c, 'GET', '/feed/')],
        abandonAfter: 1,
        stallMs: c.timeouts.send * 2 + 500,
        readAfterStall: true,
        timeoutMs: c.timeouts.send * 2 + 8_000,
      }),
      expect: [200],
      closeOk: true,
      cut: true,
      slow: true,
    },
  ],
}
