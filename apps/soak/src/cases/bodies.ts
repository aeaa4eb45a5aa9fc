/**
 * @module
 * Hostile bodies: oversized and mis-declared ones, malformed and prototype-poisoning JSON, bodies in
 * another charset or content coding, and clients that leave mid-body or mid-response.
 */
import { brotliCompressSync, gzipSync } from 'node:zlib'
import { ECHO_LIMIT } from '../target'
import { one, postJson, raw, type HostileClass } from './types'

const json = (ctx: Parameters<typeof raw>[0], headers: [string, string][], body: string | Buffer) =>
  raw(ctx, 'POST', '/echo/', { headers: [['Content-Type', 'application/json'], ...headers], body })

export const oversized: HostileClass = {
  name: 'oversized-body',
  cases: [
    // Declared past the limit: refused before a byte is read.
    {
      name: 'oversized-body/declared',
      exchange: (c) => ({
        send: [json(c, [['Content-Length', '10000000']], Buffer.alloc(1024, 32))],
      }),
      expect: [413],
    },
    one(
      'oversized-body/chunked',
      (c) => {
        const chunk = Buffer.alloc(4096, 32)
        const body = Buffer.concat([
          ...Array.from({ length: 16 }, () =>
            Buffer.concat([Buffer.from('1000\r\n'), chunk, Buffer.from('\r\n')])
          ),
          Buffer.from('0\r\n\r\n'),
        ])
        return json(c, [['Transfer-Encoding', 'chunked']], body)
      },
      { expect: [413] }
    ),
    one('oversized-body/one-over', (c) => postJson(c, `"${'x'.repeat(ECHO_LIMIT - 1)}"`), {
      expect: [413],
    }),
  ],
}

export const misdeclared: HostileClass = {
  name: 'misdeclared-body',
  cases: [
    one('misdeclared-body/length-not-a-number', (c) => json(c, [['Content-Length', 'abc']], '{}'), {
      expect: [400],
    }),
    one('misdeclared-body/length-negative', (c) => json(c, [['Content-Length', '-1']], '{}'), {
      expect: [400],
    }),
    one(
      'misdeclared-body/length-huge',
      (c) => json(c, [['Content-Length', '99999999999999999999']], '{}'),
      { expect: [400] }
    ),
    one(
      'misdeclared-body/bad-chunk-size',
      (c) => json(c, [['Transfer-Encoding', 'chunked']], 'zz\r\n{}\r\n0\r\n\r\n'),
      {
        expect: [400],
      }
    ),
    // Five bytes declared, twelve sent: the rest is read as a (malformed) next request.
    {
      name: 'misdeclared-body/longer-than-declared',
      exchange: (c) => ({
        send: [json(c, [['Content-Length', '7']], '{"a":1}GARBAGE\r\n\r\n')],
        responses: 2,
      }),
      expect: [200, 400],
    },
    // 100 declared, 10 sent, then the client half-closes: nothing complete to answer, though
    // node's parser answers the truncated request with a 400 when the half-close reaches it.
    {
      name: 'misdeclared-body/shorter-then-end',
      exchange: (c) => ({ send: [json(c, [['Content-Length', '100']], '{"a":12345')], end: true }),
      expect: [400],
      closeOk: true,
    },
    one('misdeclared-body/empty', (c) => postJson(c, ''), { expect: [400] }),
    one('misdeclared-body/malformed-json', (c) => postJson(c, '{"a":'), { expect: [400] }),
    one('misdeclared-body/not-json-type', (c) => postJson(c, '{"a":1}', 'text/plain'), {
      expect: [415],
    }),
    one(
      'misdeclared-body/deep-json',
      (c) => postJson(c, `${'['.repeat(4000)}${']'.repeat(4000)}`),
      {
        expect: [200],
      }
    ),
  ],
}

export const prototypeJson: HostileClass = {
  name: 'prototype-json',
  cases: [
    // Refused with a 400 problem by default, in every spelling (secure-json-parse's default).
    one('prototype-json/proto', (c) => postJson(c, '{"__proto__":{"isAdmin":true}}'), {
      expect: [400],
    }),
    one(
      'prototype-json/constructor-prototype',
      (c) => postJson(c, '{"constructor":{"prototype":{"isAdmin":true}}}'),
      { expect: [400] }
    ),
    one(
      'prototype-json/escaped-proto',
      (c) => postJson(c, '{"\\u005f_proto__":{"isAdmin":true}}'),
      { expect: [400] }
    ),
    one(
      'prototype-json/escaped-constructor-prototype',
      (c) => postJson(c, '{"\\u0063onstructor":{"prot\\u006ftype":{"isAdmin":true}}}'),
      { expect: [400] }
    ),
    one('prototype-json/nested-proto', (c) => postJson(c, '{"a":[{"b":{"__proto__":{"x":1}}}]}'), {
      expect: [400],
    }),
    // Look-alikes stay valid.
    one('prototype-json/constructor-string', (c) => postJson(c, '{"constructor":"x"}'), {
      expect: [200],
    }),
    one(
      'prototype-json/look-alikes',
      (c) => postJson(c, '{"__proto":1,"proto__":2,"prototype":3,"constructor":{"x":1}}'),
      { expect: [200] }
    ),
  ],
}

export const bodyEncoding: HostileClass = {
  name: 'body-encoding',
  cases: [
    // JSON in a charset other than UTF-8, or in a content coding the app does not decode: 415
    // (with Accept-Encoding for the codings), never "not valid JSON".
    one(
      'body-encoding/utf-16-charset',
      (c) => postJson(c, Buffer.from('{"a":1}', 'utf16le'), 'application/json; charset=utf-16le'),
      { expect: [415] }
    ),
    one(
      'body-encoding/latin1-charset',
      (c) =>
        postJson(
          c,
          Buffer.from('{"a":"caf\xe9"}', 'latin1'),
          'application/json; charset=iso-8859-1'
        ),
      { expect: [415] }
    ),
    one('body-encoding/gzip', (c) => json(c, [['Content-Encoding', 'gzip']], gzipSync('{"a":1}')), {
      expect: [415],
    }),
    one(
      'body-encoding/br',
      (c) => json(c, [['Content-Encoding', 'br']], brotliCompressSync('{"a":1}')),
      { expect: [415] }
    ),
    one('body-encoding/zstd', (c) => json(c, [['Content-Encoding', 'zstd']], '{"a":1}'), {
      expect: [415],
    }),
    one(
      'body-encoding/unknown-coding',
      (c) => json(c, [['Content-Encoding', 'x-rot13']], '{"a":1}'),
      { expect: [415] }
    ),
    // `identity` is no coding at all (RFC 9110 §8.4.1): the body is read as JSON.
    one('body-encoding/identity', (c) => json(c, [['Content-Encoding', 'identity']], '{"a":1}'), {
      expect: [200],
    }),
  ],
}

export const abandoned: HostileClass = {
  name: 'abandoned',
  cases: [
    {
      name: 'abandoned/after-first-bytes',
      exchange: (c) => ({ send: [raw(c, 'GET', '/stream/')], abandonAfter: 1 }),
      expect: [200],
      closeOk: true,
    },
    {
      name: 'abandoned/stall-then-leave',
      exchange: (c) => ({ send: [raw(c, 'GET', '/stream/')], abandonAfter: 1, stallMs: 300 }),
      expect: [200],
      closeOk: true,
    },
    {
      name: 'abandoned/before-the-answer',
      exchange: (c) => ({ send: [raw(c, 'GET', '/slow/')], leaveAfterMs: 5 }),
      expect: [200],
      closeOk: true,
    },
    {
      name: 'abandoned/mid-upload',
      exchange: (c) => ({
        send: [json(c, [['Content-Length', '4000']], Buffer.alloc(200, 32))],
        leaveAfterMs: 20,
      }),
      // The body never completes: nothing may be answered before the client leaves.
      expect: [],
      closeOk: true,
    },
  ],
}
